/**
 * Working days (工作日) for dispute deadlines (时限), from a deployment calendar.
 *
 * China's working week is not "Monday to Friday": public holidays move every year, and the
 * State Council's schedule turns some weekends into make-up working days (调休). A hard-coded
 * weekday rule would put a Spring Festival deadline on a day the street office is closed and
 * miss the Saturday it opens. So the calendar is data: the dates that are holidays and the
 * weekend dates that are working days, by the deployment (the server loads the published
 * schedule, see server/work-calendar.ts, and a deployment may add its own local days).
 *
 * Days are calendar dates in China Standard Time (UTC+8, no daylight saving): a time limit
 * counts the street office's days, whatever time zone a device or server is set to. A limit of
 * n working days from an instant ends at the end (23:59:59.999 CST) of the n-th working day
 * after the day of that instant; 0 working days ends with that day itself.
 */

export interface WorkCalendar {
	/** Dates (YYYY-MM-DD, CST) that are days off although they fall on a weekday. */
	readonly holidays: ReadonlySet<string>;
	/** Dates (YYYY-MM-DD, CST) that are working days although they fall on a weekend (调休). */
	readonly workdays: ReadonlySet<string>;
}

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar from lists of dates; anything that is not a YYYY-MM-DD date is ignored. */
export function makeWorkCalendar(holidays: Iterable<string>, workdays: Iterable<string>): WorkCalendar {
	const valid = (d: string) => DATE_RE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
	return { holidays: new Set([...holidays].filter(valid)), workdays: new Set([...workdays].filter(valid)) };
}

/** A calendar with no holidays: weekdays work, weekends do not (for tests and a bare install). */
export const PLAIN_WEEK: WorkCalendar = makeWorkCalendar([], []);

/** The CST calendar date of an instant (ISO string or epoch ms). */
export function chinaDate(instant: string | number): string {
	const ms = typeof instant === 'number' ? instant : Date.parse(instant);
	if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(instant)}`);
	return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether a CST date is a working day in `calendar`. */
export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
	if (calendar.workdays.has(date)) return true;
	if (calendar.holidays.has(date)) return false;
	const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
	return weekday !== 0 && weekday !== 6;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The instant a CST date ends (its last millisecond), as an ISO string in UTC. */
export function endOfChinaDate(date: string): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1 - CST_OFFSET_MS).toISOString();
}

/** The date of the n-th working day after `date` (n = 0: `date` itself). */
export function addWorkingDaysToDate(date: string, n: number, calendar: WorkCalendar): string {
	if (!Number.isInteger(n) || n < 0 || n > 3650) throw new RangeError(`working days must be 0..3650, not ${n}`);
	let d = date;
	for (let left = n; left > 0; ) {
		d = nextDate(d);
		if (isWorkingDay(d, calendar)) left--;
	}
	return d;
}

/** The deadline `n` working days after the instant `from`: the end of that working day (CST). */
export function deadlineAfter(from: string, n: number, calendar: WorkCalendar): string {
	return endOfChinaDate(addWorkingDaysToDate(chinaDate(from), n, calendar));
}

/**
 * How many working days `now` is past `deadline`: 0 while the deadline has not passed, 1 on the
 * first working day after it, and so on (days off in between do not count).
 */
export function workingDaysOverdue(deadline: string, now: string, calendar: WorkCalendar): number {
	if (Date.parse(now) <= Date.parse(deadline)) return 0;
	const end = chinaDate(now);
	let d = chinaDate(deadline);
	let late = 0;
	while (d < end) {
		d = nextDate(d);
		if (isWorkingDay(d, calendar)) late++;
	}
	// past the deadline's own end but still on a day off right after it: late, by less than a day
	return Math.max(late, 1);
}
