/**
 * A short, fixed set of convergence rounds for `npm test` (the long run is `npm run fuzz`).
 * Each seed fixes everything: client count, operations, delivery order, disconnects. A failing
 * round names its seed in the message.
 */
import { describe, expect, it } from 'vitest';
import { runConvergence } from '../fuzz/convergence.ts';
import { gridKind } from '../fuzz/grid-kind.ts';

const SEEDS = [1, 2, 3, 42, 1337, 20261123, 987654321, 2147483646];

describe('grid documents converge under random delivery and disconnects', () => {
	it.each(SEEDS)('seed %i: every replica and the merged updates agree', (seed) => {
		const result = runConvergence({ seed, kind: gridKind });
		expect(result.ops).toBeGreaterThan(0);
		expect(result.delivered).toBeGreaterThan(0);
	});

	it('six clients, long run with many disconnects (seed 7)', () => {
		const result = runConvergence({ seed: 7, kind: gridKind, clients: 6, steps: 1500 });
		expect(result.disconnects).toBeGreaterThan(10);
		expect(Object.values(result.opCounts).every((n) => n > 0)).toBe(true);
	});
});
