/**
 * Liaison work (visits, wishes and claims, assignments) converges under random delivery and
 * disconnects, with the same derived due dates, claim winners, points and suggestions on every
 * replica. A failing round names its seed.
 */
import { describe, expect, it } from 'vitest';
import { runConvergence } from '../fuzz/convergence.ts';
import { liaisonKind, seen } from '../fuzz/liaison-kind.ts';

const SEEDS = [1, 2, 3, 42, 1337, 20261123, 987654321];

describe('grid documents with liaison work converge', () => {
	it.each(SEEDS)('seed %i: every replica and the merged updates agree', (seed) => {
		const result = runConvergence({ seed, kind: liaisonKind });
		expect(result.ops).toBeGreaterThan(0);
	});

	it('five clients, long run: every liaison operation exercised (seed 11)', () => {
		const result = runConvergence({ seed: 11, kind: liaisonKind, clients: 5, steps: 2000 });
		for (const op of ['recordVisit', 'postWish', 'dispatchWish', 'claimWish', 'completeWish', 'assignLiaison', 'setAcquainted']) {
			expect(result.opCounts[op], op).toBeGreaterThan(0);
		}
		expect(result.disconnects).toBeGreaterThan(10);
		expect(seen.contestedWishes).toBeGreaterThan(0); // concurrent claims on one wish happened
		expect(seen.visitedTwice).toBeGreaterThan(0);
	});
});
