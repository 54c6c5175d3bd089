/**
 * Deliberation session documents under the convergence fuzzer: a fixed set of seeds for
 * `npm test` (the long run is `npm run fuzz`). A failing round names its seed.
 */
import { describe, expect, it } from 'vitest';
import { runConvergence } from '../fuzz/convergence.ts';
import { sessionKind } from '../fuzz/session-kind.ts';

const SEEDS = [1, 2, 3, 42, 1337, 20261123];

describe('session documents converge under random delivery and disconnects', () => {
	it.each(SEEDS)('seed %i: every replica and the merged updates agree', (seed) => {
		const result = runConvergence({ seed, kind: sessionKind });
		expect(result.ops).toBeGreaterThan(0);
		expect(result.delivered).toBeGreaterThan(0);
	});

	it('five clients, long run: every step of a meeting exercised (seed 5)', () => {
		const result = runConvergence({ seed: 5, kind: sessionKind, clients: 5, steps: 1500 });
		expect(Object.values(result.opCounts).every((n) => n > 0)).toBe(true);
	});
});
