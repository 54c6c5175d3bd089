/**
 * Visits (走访) to households, in the grid document's `visits` root (design.md §2).
 *
 * `visits` is append-only: two members who visit the same household offline both keep their
 * visit when their devices merge. The household's next due date is not a counter moved by each
 * visit but a function of the merged visits (grid-doc.ts derives it: latest visit `at` plus the
 * cadence of the household's current colour, colours.ts), so every device computes the same
 * date whatever order the visits arrive in. `recordVisit` still writes `nextVisitDue` on the
 * household for readers of the raw document (exports, the server).
 *
 * Urgency: a household is overdue when its due date has passed. "My households" lists a
 * liaison member's households overdue first (longest overdue first), then by due date.
 */
import * as Y from 'yjs';
import { type Colour, COLOURS, nextVisitDue } from './colours.ts';
import { changeColour, DomainError, GRID_ROOTS, type Household, listHouseholds, readHousehold } from './grid-doc.ts';
import { newId } from './ids.ts';

export const VISIT_MODES = ['inPerson', 'online'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

export interface Visit {
	id: string;
	householdId: string;
	/** User id of the visitor. */
	by: string;
	/** The visitor's display name when the visit was recorded (other devices cannot look it up offline). */
	byName: string;
	at: string;
	mode: VisitMode;
	note: string;
}

export interface VisitInput {
	mode: VisitMode;
	note: string;
	by: string;
	byName?: string;
	at?: string;
	/** Change the household's colour in the same step; a reason is required. */
	colourChange?: { to: Colour; reason: string };
}

const NOTE_MAX = 2000;
const visitsArray = (doc: Y.Doc) => doc.getArray<Visit>(GRID_ROOTS.visits);

function isVisit(v: unknown): v is Visit {
	const x = v as Partial<Visit> | null;
	return !!x && typeof x.householdId === 'string' && typeof x.at === 'string' && typeof x.by === 'string';
}

/**
 * Records a visit and, when asked, a colour change, in one transaction (one update on the
 * wire); returns the visit id. Throws DomainError on an unknown household, a bad mode, an
 * over-long note, or a colour change without a reason.
 *
 * Idempotent by id: the form makes the id when it opens, so a second tap on 保存走访 (or a
 * retry) writes nothing instead of a second visit and second points.
 */
export function recordVisit(doc: Y.Doc, householdId: string, input: VisitInput, id: string = newId()): string {
	if (visitsArray(doc).toArray().some((v) => isVisit(v) && v.id === id)) return id;
	const at = input.at ?? new Date().toISOString();
	if (!(VISIT_MODES as readonly string[]).includes(input.mode)) throw new DomainError('invalidVisitMode', 'a visit is in person or online');
	if (typeof input.note !== 'string' || input.note.length > NOTE_MAX)
		throw new DomainError('noteTooLong', `a note has at most ${NOTE_MAX} characters`);
	if (Number.isNaN(Date.parse(at))) throw new DomainError('invalidTime', 'a visit needs a valid time');
	if (!readHousehold(doc, householdId)) throw new DomainError('unknownHousehold', `no household ${householdId}`);
	doc.transact(() => {
		// the colour first: changeColour validates the reason and throws before anything is written
		if (input.colourChange) changeColour(doc, householdId, input.colourChange.to, input.colourChange.reason, input.by, at, input.byName);
		visitsArray(doc).push([
			{ id, householdId, by: input.by, byName: input.byName ?? '', at, mode: input.mode, note: input.note.trim() }
		]);
		const h = readHousehold(doc, householdId);
		const hm = doc.getMap<Y.Map<unknown>>(GRID_ROOTS.households).get(householdId);
		if (h && hm instanceof Y.Map) hm.set('nextVisitDue', h.nextVisitDue ?? nextVisitDue(h.colour, at));
	});
	return id;
}

/** Every visit of the grid, oldest first (ties by id, so all devices list them alike). */
export function listVisits(doc: Y.Doc): Visit[] {
	return visitsArray(doc)
		.toArray()
		.filter(isVisit)
		.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A household's visits, newest first. */
export function householdVisits(doc: Y.Doc, householdId: string): Visit[] {
	return listVisits(doc)
		.filter((v) => v.householdId === householdId)
		.reverse();
}

export interface HouseholdDue {
	household: Household;
	/** ISO due date, or null for a household never visited and never given one. */
	due: string | null;
	overdue: boolean;
	/** Whole days past due (0 when not overdue). */
	daysOverdue: number;
	lastVisit: Visit | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const COLOUR_RANK: Record<Colour, number> = Object.fromEntries(COLOURS.map((c, i) => [c, i])) as Record<Colour, number>;

/** Whether a household's visit is overdue at `now`; a household with no due date is not. */
export function isHouseholdOverdue(h: Pick<Household, 'nextVisitDue'>, now: Date = new Date()): boolean {
	return h.nextVisitDue !== null && Date.parse(h.nextVisitDue) < now.getTime();
}

/**
 * Urgency order: overdue first (longest overdue first), then by due date, then households
 * with no due date; ties by colour (red first), then id.
 */
export function byUrgency(a: HouseholdDue, b: HouseholdDue): number {
	const ta = a.due === null ? Infinity : Date.parse(a.due);
	const tb = b.due === null ? Infinity : Date.parse(b.due);
	if (ta !== tb) return ta < tb ? -1 : 1;
	return COLOUR_RANK[a.household.colour] - COLOUR_RANK[b.household.colour] || (a.household.id < b.household.id ? -1 : 1);
}

function dues(doc: Y.Doc, households: Household[], now: Date): HouseholdDue[] {
	const last = new Map<string, Visit>();
	for (const v of listVisits(doc)) last.set(v.householdId, v); // oldest first: the last one wins
	return households
		.map((household) => {
			const overdue = isHouseholdOverdue(household, now);
			return {
				household,
				due: household.nextVisitDue,
				overdue,
				daysOverdue: overdue ? Math.floor((now.getTime() - Date.parse(household.nextVisitDue!)) / DAY_MS) : 0,
				lastVisit: last.get(household.id) ?? null
			};
		})
		.sort(byUrgency);
}

/** The households assigned to liaison member `liaisonId`, most urgent first. */
export function myHouseholds(doc: Y.Doc, liaisonId: string, now: Date = new Date()): HouseholdDue[] {
	return dues(
		doc,
		listHouseholds(doc).filter((h) => h.liaisonId === liaisonId),
		now
	);
}

/** Every household of the grid, most urgent first. */
export function householdsByUrgency(doc: Y.Doc, now: Date = new Date()): HouseholdDue[] {
	return dues(doc, listHouseholds(doc), now);
}

/** The grid's overdue households (for the grid worker and the community), longest overdue first. */
export function overdueHouseholds(doc: Y.Doc, now: Date = new Date()): HouseholdDue[] {
	return householdsByUrgency(doc, now).filter((d) => d.overdue);
}
