/**
 * The four-colour classification of households (四色分类), design.md §3.
 *
 * Each colour carries a visit cadence: the longest a household of that colour may go without
 * a visit. The cadence drives `nextVisitDue` and the overdue lists.
 */

export const COLOURS = ['red', 'orange', 'yellow', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

/** Days between visits, at the most, for each colour. */
export const CADENCE_DAYS: Readonly<Record<Colour, number>> = {
	red: 7,
	orange: 14,
	yellow: 30,
	green: 90
};

/** Display colours shared by the map, the legend and every list. */
export const COLOUR_HEX: Readonly<Record<Colour, string>> = {
	red: '#d7263d',
	orange: '#f08a24',
	yellow: '#e9c80b',
	green: '#2e9e4f'
};

export function isColour(value: unknown): value is Colour {
	return typeof value === 'string' && (COLOURS as readonly string[]).includes(value);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a household of `colour` last visited at `lastVisitAt` (ISO) is next due (ISO). */
export function nextVisitDue(colour: Colour, lastVisitAt: string): string {
	return new Date(Date.parse(lastVisitAt) + CADENCE_DAYS[colour] * DAY_MS).toISOString();
}

/** Whether a visit due at `due` (ISO) is overdue at `now`. A household with no due date is not. */
export function isOverdue(due: string | undefined, now: Date = new Date()): boolean {
	return due !== undefined && Date.parse(due) < now.getTime();
}
