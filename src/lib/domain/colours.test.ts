import { describe, expect, it } from 'vitest';
import { CADENCE_DAYS, COLOUR_HEX, COLOURS, isColour, isOverdue, nextVisitDue } from './colours.ts';

describe('the four colours', () => {
	it('are red, orange, yellow, green with weekly, fortnightly, monthly and quarterly visits', () => {
		expect([...COLOURS]).toEqual(['red', 'orange', 'yellow', 'green']);
		expect(CADENCE_DAYS).toEqual({ red: 7, orange: 14, yellow: 30, green: 90 });
	});

	it('tighten the cadence as concern rises', () => {
		const days = COLOURS.map((c) => CADENCE_DAYS[c]);
		expect([...days].sort((a, b) => a - b)).toEqual(days);
	});

	it('show four distinct display colours', () => {
		const hex = COLOURS.map((c) => COLOUR_HEX[c]);
		expect(new Set(hex).size).toBe(4);
		for (const h of hex) expect(h).toMatch(/^#[0-9a-f]{6}$/i);
	});

	it('recognise only the four colour names', () => {
		for (const c of COLOURS) expect(isColour(c)).toBe(true);
		for (const v of ['Red', 'blue', '', ' red', null, undefined, 1, {}, 'constructor', '__proto__'])
			expect(isColour(v)).toBe(false);
	});
});

describe('nextVisitDue', () => {
	const visit = '2026-11-23T09:30:00.000Z';

	it('puts the next visit one cadence after the last one', () => {
		expect(nextVisitDue('red', visit)).toBe('2026-11-30T09:30:00.000Z');
		expect(nextVisitDue('orange', visit)).toBe('2026-12-07T09:30:00.000Z');
		expect(nextVisitDue('yellow', visit)).toBe('2026-12-23T09:30:00.000Z');
		expect(nextVisitDue('green', visit)).toBe('2027-02-21T09:30:00.000Z');
	});

	it('reads a visit time given with a +08:00 offset (China Standard Time)', () => {
		expect(nextVisitDue('red', '2026-11-23T17:30:00+08:00')).toBe('2026-11-30T09:30:00.000Z');
	});

	it('crosses month and leap-year boundaries by whole days', () => {
		expect(nextVisitDue('red', '2028-02-25T00:00:00.000Z')).toBe('2028-03-03T00:00:00.000Z');
		expect(nextVisitDue('yellow', '2026-12-15T00:00:00.000Z')).toBe('2027-01-14T00:00:00.000Z');
	});
});

describe('isOverdue', () => {
	const now = new Date('2026-11-23T12:00:00.000Z');

	it('is overdue only once the due time has passed', () => {
		expect(isOverdue('2026-11-23T11:59:59.999Z', now)).toBe(true);
		expect(isOverdue('2026-11-23T12:00:00.000Z', now)).toBe(false);
		expect(isOverdue('2026-11-24T00:00:00.000Z', now)).toBe(false);
	});

	it('never marks a household with no due date as overdue', () => {
		expect(isOverdue(undefined, now)).toBe(false);
	});

	it('makes a red household overdue eight days after its last visit, a green one not', () => {
		const lastVisit = '2026-11-15T12:00:00.000Z';
		expect(isOverdue(nextVisitDue('red', lastVisit), now)).toBe(true);
		expect(isOverdue(nextVisitDue('green', lastVisit), now)).toBe(false);
	});
});
