import { describe, expect, it } from 'vitest';
import { historyUrl, householdChanges, nextPage, valueText, type HistoryAnswer } from './history-format.ts';

const answer: HistoryAnswer = {
	doc: 'grid:g1',
	fromSeq: 1,
	toSeq: 3,
	truncated: false,
	changes: [
		{ seq: 3, at: '2026-11-23T10:00:00Z', userId: 'u1', user: '甲', householdId: 'h1', field: 'colour', from: 'green', to: 'red' },
		{ seq: 2, at: '2026-11-23T09:00:00Z', userId: 'u2', user: '乙', householdId: 'h2', field: 'phone', from: '1', to: '2' },
		{ seq: 1, at: '2026-11-23T08:00:00Z', userId: 'u1', user: '甲', householdId: null, field: 'meta.name', to: 'x' }
	]
};

describe('history helpers', () => {
	it('asks for one household, page by page, and stops at the oldest page', () => {
		expect(historyUrl('grid:g1', 'h1', null)).toBe('/api/docs/grid%3Ag1/history?household=h1');
		expect(historyUrl('grid:g1', 'h1', 42)).toBe('/api/docs/grid%3Ag1/history?household=h1&before=42');
		expect(nextPage({ ...answer, more: true, nextBefore: 7 })).toBe(7);
		expect(nextPage({ ...answer, more: false, nextBefore: null })).toBeNull();
		expect(nextPage(answer)).toBeNull(); // an answer without paging
	});

	it("picks one household's changes, newest first", () => {
		expect(householdChanges(answer, 'h1').map((c) => c.seq)).toEqual([3]);
		expect(householdChanges(answer, 'h9')).toEqual([]);
	});

	it('writes values as short text, naming known ones', () => {
		expect(valueText('red', (v) => (v === 'red' ? '红' : v))).toBe('红');
		expect(valueText(['elderly', 'child'], (v) => `#${v}`)).toBe('#elderly、#child');
		expect(valueText(undefined)).toBe('—');
		expect(valueText('')).toBe('—');
		expect(valueText(3)).toBe('3');
		expect(valueText({ a: 1 })).toBe('{"a":1}');
	});
});
