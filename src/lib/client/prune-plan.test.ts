import { describe, expect, it } from 'vitest';
import { batches, prunePlan } from './prune-plan.ts';

describe('prunePlan', () => {
	it('drops what the user may no longer open, keeps readable and writable copies', () => {
		const held = [
			{ name: 'grid:g1', pendingEdits: 0 },
			{ name: 'grid:g2', pendingEdits: 3, pendingBy: 'u1' },
			{ name: 'grid:g4', pendingEdits: 0 },
			{ name: 'session:s1', pendingEdits: 0 }
		];
		const plan = prunePlan(held, { 'grid:g1': 'read', 'grid:g2': 'write', 'grid:g4': 'none' }, 'u1');
		expect(plan).toEqual({ drop: ['grid:g4', 'session:s1'], keptForOthers: [] });
	});

	it("drops the user's own unsendable edits but keeps another user's for their login", () => {
		const held = [
			{ name: 'grid:g4', pendingEdits: 2, pendingBy: 'u1' },
			{ name: 'grid:g5', pendingEdits: 2, pendingBy: 'u2' },
			{ name: 'grid:g6', pendingEdits: 2 }
		];
		expect(prunePlan(held, { 'grid:g4': 'none', 'grid:g5': 'none', 'grid:g6': 'none' }, 'u1')).toEqual({
			drop: ['grid:g4', 'grid:g6'],
			keptForOthers: ['grid:g5']
		});
	});

	it('treats names missing from the answer, even prototype keys, as none', () => {
		expect(prunePlan([{ name: 'constructor', pendingEdits: 0 }], {}, 'u1').drop).toEqual(['constructor']);
	});
});

describe('batches', () => {
	it('splits into groups of at most the given size', () => {
		expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(batches([], 500)).toEqual([]);
	});
});
