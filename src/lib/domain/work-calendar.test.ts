import { describe, expect, it } from 'vitest';
import {
	addWorkingDaysToDate,
	chinaDate,
	deadlineAfter,
	isWorkingDay,
	makeWorkCalendar,
	PLAIN_WEEK,
	workingDaysOverdue
} from './work-calendar.ts';

// The State Council's 2026 schedule around the Spring Festival and National Day.
const spring = ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'];
const national = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];
const cal2026 = makeWorkCalendar([...spring, ...national], ['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']);

describe('work calendar', () => {
	it('reads dates in China Standard Time, whatever the instant’s zone', () => {
		expect(chinaDate('2026-02-13T15:59:59Z')).toBe('2026-02-13');
		expect(chinaDate('2026-02-13T16:00:00Z')).toBe('2026-02-14');
	});

	it('takes holidays off weekdays and make-up weekends (调休) on', () => {
		expect(isWorkingDay('2026-02-16', cal2026)).toBe(false); // Monday of the Spring Festival
		expect(isWorkingDay('2026-02-14', cal2026)).toBe(true); // Saturday made a working day
		expect(isWorkingDay('2026-02-14', PLAIN_WEEK)).toBe(false);
		expect(isWorkingDay('2026-02-24', cal2026)).toBe(true);
	});

	it('counts a time limit across the Spring Festival and its make-up Saturday', () => {
		// registered Friday 13 Feb: 1 working day is Saturday 14 (调休), 2 is Tuesday 24
		expect(addWorkingDaysToDate('2026-02-13', 1, cal2026)).toBe('2026-02-14');
		expect(addWorkingDaysToDate('2026-02-13', 2, cal2026)).toBe('2026-02-24');
		// with a plain week the same limit would end on Monday 16, a holiday
		expect(addWorkingDaysToDate('2026-02-13', 1, PLAIN_WEEK)).toBe('2026-02-16');
		// 3 working days from Thursday 30 September 2026: Sept 30 is Wednesday; 1 Oct–7 Oct off, 8, 9, 10 (Saturday, 调休)
		expect(addWorkingDaysToDate('2026-09-30', 3, cal2026)).toBe('2026-10-10');
	});

	it('ends a deadline at the end of its working day in CST', () => {
		expect(deadlineAfter('2026-02-13T09:00:00+08:00', 2, cal2026)).toBe('2026-02-24T15:59:59.999Z');
		expect(deadlineAfter('2026-03-02T10:00:00+08:00', 0, cal2026)).toBe('2026-03-02T15:59:59.999Z');
	});

	it('counts how late a step is in working days, not calendar days', () => {
		const deadline = deadlineAfter('2026-02-12T09:00:00+08:00', 0, cal2026); // Thursday 12 Feb
		expect(workingDaysOverdue(deadline, '2026-02-12T20:00:00+08:00', cal2026)).toBe(0);
		expect(workingDaysOverdue(deadline, '2026-02-13T09:00:00+08:00', cal2026)).toBe(1);
		expect(workingDaysOverdue(deadline, '2026-02-14T09:00:00+08:00', cal2026)).toBe(2); // make-up Saturday
		expect(workingDaysOverdue(deadline, '2026-02-20T09:00:00+08:00', cal2026)).toBe(2); // holidays do not count
		expect(workingDaysOverdue(deadline, '2026-02-24T09:00:00+08:00', cal2026)).toBe(3);
	});

	it('refuses a limit that is not a whole number of days', () => {
		expect(() => addWorkingDaysToDate('2026-02-13', -1, cal2026)).toThrow(RangeError);
		expect(() => addWorkingDaysToDate('2026-02-13', 1.5, cal2026)).toThrow(RangeError);
		expect(() => chinaDate('yesterday')).toThrow(RangeError);
	});
});
