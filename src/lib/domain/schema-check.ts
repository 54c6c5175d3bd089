/**
 * Field-level schema checks of stored records, used by the server's rules (grid-rules.ts,
 * session-rules.ts) on every record an update changes: types, string lengths, enumerations,
 * times. The limits are the ones the named mutations and the forms use (LIMITS), so an honest
 * client never writes what the server refuses.
 *
 * A check returns null when the value fits, else a short reason for the log.
 */

/** Longest text of each kind of field (characters). Forms use these as `maxlength`. */
export const LIMITS = {
	id: 64,
	name: 100,
	address: 200,
	title: 200,
	reason: 500,
	wishText: 500,
	note: 2000,
	longText: 2000,
	role: 40
} as const;

/**
 * The limit of each text a form lets a user type, as the rules and the API check it: the
 * forms' `maxlength` and the server's checks read the same entry, so nobody can type more than
 * the server accepts.
 */
export const FIELD_LIMITS = {
	householdAddress: LIMITS.address,
	householdHead: LIMITS.name,
	householdPhone: 20,
	colourReason: LIMITS.reason,
	visitNote: LIMITS.note,
	wishText: LIMITS.wishText,
	wishDoneNote: LIMITS.wishText,
	sessionTitle: LIMITS.title,
	sessionTopic: LIMITS.longText,
	sessionPlaceLabel: LIMITS.title,
	closeReason: LIMITS.reason,
	agendaTitle: LIMITS.title,
	proposalText: LIMITS.longText,
	resolutionText: LIMITS.longText,
	actionItemText: LIMITS.reason
} as const;

/**
 * How far a record's own time (`at`, a device clock) may lie from the server's receive time:
 * a device may have been offline this long (and its edits still count), or run this far ahead.
 * A claim back-dated to 2001 is refused; within the window the server's receive time decides
 * races (receipts.ts).
 */
export const MAX_DEVICE_AGE_MS = 2 * 366 * 24 * 60 * 60 * 1000;
export const MAX_DEVICE_AHEAD_MS = 24 * 60 * 60 * 1000;

export type Check = (v: unknown) => string | null;

export const text =
	(max: number, min = 0): Check =>
	(v) =>
		typeof v !== 'string' ? 'not text' : v.length > max ? `longer than ${max}` : v.trim().length < min ? 'empty' : null;

export const oneOf =
	(values: readonly unknown[]): Check =>
	(v) =>
		values.includes(v) ? null : `not one of ${values.join('/')}`;

export const finite: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'not a finite number');

export const int =
	(min: number, max: number): Check =>
	(v) =>
		Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `not a whole number ${min}–${max}`;

export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'not true/false');

export const orNull =
	(check: Check): Check =>
	(v) =>
		v === null ? null : check(v);

export const isoTime: Check = (v) => (typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v)) ? null : 'not a time');

/** A device time within the window around the server's receive time `now`. */
export const deviceTime =
	(now: string): Check =>
	(v) => {
		const bad = isoTime(v);
		if (bad) return bad;
		const t = Date.parse(v as string);
		const n = Date.parse(now);
		if (t < n - MAX_DEVICE_AGE_MS) return 'too far in the past';
		if (t > n + MAX_DEVICE_AHEAD_MS) return 'in the future';
		return null;
	};

export const arrayOf =
	(check: Check, max: number): Check =>
	(v) => {
		if (!Array.isArray(v)) return 'not a list';
		if (v.length > max) return `more than ${max} entries`;
		for (const x of v) {
			const bad = check(x);
			if (bad) return bad;
		}
		return null;
	};

export const plainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The violations of record `value` (called `what` in messages) against `spec`: every field of
 * the spec checked (`optional` fields may be absent), no field outside it.
 */
export function checkRecord(what: string, value: unknown, spec: Record<string, Check>, optional: readonly string[] = []): string[] {
	if (!plainObject(value)) return [`${what} is not a record`];
	const out: string[] = [];
	for (const [key, check] of Object.entries(spec)) {
		if (!(key in value)) {
			if (!optional.includes(key)) out.push(`${what}.${key} is missing`);
			continue;
		}
		const bad = check(value[key]);
		if (bad) out.push(`${what}.${key} ${bad}`);
	}
	for (const key of Object.keys(value)) if (!(key in spec)) out.push(`${what}.${key} is not a field`);
	return out;
}
