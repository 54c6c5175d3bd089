/**
 * The grid document (`grid:<gridId>`, design.md §2): one Y.Doc per grid.
 *
 * Roots:
 * - `meta`         Y.Map: name, communityId, boundary (GeoJSON Polygon), updatedAt
 * - `households`   Y.Map<householdId, Y.Map>: one nested map per household, so that two
 *                  people editing different fields of one household both keep their change
 * - `colourEvents` Y.Array: every colour change, the accountable history
 * - `visits`       Y.Array: every visit (visits.ts)
 * - `wishes`       Y.Map<wishId, Y.Map>: micro-wishes and their claims (wishes.ts)
 * - `liaisons`     Y.Map<memberId, LiaisonMember>: the liaison members serving this grid, with
 *                  the anchor point that liaison suggestions measure from (liaisons.ts)
 * - `liaisonEvents` Y.Array: every (re)assignment of a household's liaison member
 * - `acquaintances` Y.Map<householdId, memberId>: explicit "acquainted" overrides (就熟)
 * - `receipts`     Y.Map<recordId, ISO time>: when the server received a record whose races
 *                  it decides (wish claims: wishes.ts); written by the server only
 *
 * A household's `nextVisitDue` is derived when read: from its latest visit and its current
 * colour when it has visits, else the stored value (registration, import). Two devices that
 * recorded visits offline each wrote their own value, and the field's last-writer-wins could
 * keep the earlier one; deriving it from the (merged, append-only) visits gives every device
 * the same, correct date.
 *
 * Components and the server never touch these roots directly: they call the readers and the
 * named mutations below. Every mutation runs in one `doc.transact`, so a change reaches other
 * devices as one update.
 */
import * as Y from 'yjs';
import { type Colour, isColour, nextVisitDue } from './colours.ts';
import { newId } from './ids.ts';

export const GRID_ROOTS = {
	meta: 'meta',
	households: 'households',
	colourEvents: 'colourEvents',
	visits: 'visits',
	wishes: 'wishes',
	liaisons: 'liaisons',
	liaisonEvents: 'liaisonEvents',
	acquaintances: 'acquaintances',
	receipts: 'receipts'
} as const;

export const HOUSEHOLD_TAGS = ['elderly', 'child', 'disabled', 'tenant', 'partyMember'] as const;
export type HouseholdTag = (typeof HOUSEHOLD_TAGS)[number];

export interface Polygon {
	type: 'Polygon';
	coordinates: number[][][];
}

export interface GridMeta {
	name: string;
	communityId: string;
	boundary: Polygon | null;
	updatedAt: string;
}

export interface Household {
	id: string;
	address: string;
	lng: number;
	lat: number;
	head: string;
	size: number;
	phone: string;
	tags: HouseholdTag[];
	colour: Colour;
	liaisonId: string | null;
	nextVisitDue: string | null;
}

/** The fields a user edits directly; colour changes go through `changeColour`. */
export type HouseholdFields = Pick<Household, 'address' | 'head' | 'size' | 'phone' | 'tags'>;
export const EDITABLE_FIELDS: readonly (keyof HouseholdFields)[] = ['address', 'head', 'size', 'phone', 'tags'];

export interface ColourEvent {
	householdId: string;
	from: Colour | null;
	to: Colour;
	reason: string;
	by: string;
	/** The changer's display name when recorded (other devices cannot look it up offline); may be absent in old events. */
	byName?: string;
	at: string;
}

export class DomainError extends Error {
	// A plain field, not a parameter property: Node strips types only (erasable syntax).
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.code = code;
		this.name = 'DomainError';
	}
}

const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(GRID_ROOTS.meta);
const householdsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(GRID_ROOTS.households);
const colourEventsArray = (doc: Y.Doc) => doc.getArray<ColourEvent>(GRID_ROOTS.colourEvents);

// ---- readers ----

export function readGridMeta(doc: Y.Doc): GridMeta {
	const m = metaMap(doc);
	return {
		name: String(m.get('name') ?? ''),
		communityId: String(m.get('communityId') ?? ''),
		boundary: (m.get('boundary') as Polygon | undefined) ?? null,
		updatedAt: String(m.get('updatedAt') ?? '')
	};
}

/** The latest visit time (ISO) of each household that has visits. */
function latestVisits(doc: Y.Doc): Map<string, string> {
	const latest = new Map<string, string>();
	for (const v of doc.getArray<{ householdId?: unknown; at?: unknown }>(GRID_ROOTS.visits).toArray()) {
		if (typeof v?.householdId !== 'string' || typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) continue;
		const seen = latest.get(v.householdId);
		if (seen === undefined || Date.parse(v.at) > Date.parse(seen)) latest.set(v.householdId, v.at);
	}
	return latest;
}

function toHousehold(id: string, m: Y.Map<unknown>, lastVisitAt?: string): Household {
	const colour = m.get('colour');
	const tags = m.get('tags');
	const current: Colour = isColour(colour) ? colour : 'green';
	return {
		id,
		address: String(m.get('address') ?? ''),
		lng: Number(m.get('lng') ?? 0),
		lat: Number(m.get('lat') ?? 0),
		head: String(m.get('head') ?? ''),
		size: Number(m.get('size') ?? 0),
		phone: String(m.get('phone') ?? ''),
		tags: Array.isArray(tags) ? (tags as HouseholdTag[]) : [],
		colour: current,
		liaisonId: (m.get('liaisonId') as string | null | undefined) ?? null,
		nextVisitDue: lastVisitAt ? nextVisitDue(current, lastVisitAt) : ((m.get('nextVisitDue') as string | null | undefined) ?? null)
	};
}

export function readHousehold(doc: Y.Doc, id: string): Household | null {
	const m = householdsMap(doc).get(id);
	return m instanceof Y.Map ? toHousehold(id, m, latestVisits(doc).get(id)) : null;
}

/** All households, sorted by address then id (Y.Map order differs between replicas). */
export function listHouseholds(doc: Y.Doc): Household[] {
	const out: Household[] = [];
	const latest = latestVisits(doc);
	householdsMap(doc).forEach((m, id) => {
		if (m instanceof Y.Map) out.push(toHousehold(id, m, latest.get(id)));
	});
	return out.sort((a, b) => a.address.localeCompare(b.address, 'zh-CN') || (a.id < b.id ? -1 : 1));
}

/** The colour changes of one household, oldest first. */
export function colourHistory(doc: Y.Doc, householdId: string): ColourEvent[] {
	return colourEventsArray(doc)
		.toArray()
		.filter((e) => e.householdId === householdId);
}

export function countByColour(households: readonly Household[]): Record<Colour, number> {
	const counts: Record<Colour, number> = { red: 0, orange: 0, yellow: 0, green: 0 };
	for (const h of households) counts[h.colour]++;
	return counts;
}

/**
 * Calls `onChange` once after every transaction that changed the grid (a colour change touches
 * two roots but is one change); returns the function that stops it.
 */
export function observeGrid(doc: Y.Doc, onChange: () => void): () => void {
	const roots = Object.values(GRID_ROOTS).map((name) =>
		name === GRID_ROOTS.colourEvents || name === GRID_ROOTS.visits || name === GRID_ROOTS.liaisonEvents ? doc.getArray(name) : doc.getMap(name)
	);
	let last: Y.Transaction | null = null;
	const handler = (_events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (tr === last) return;
		last = tr;
		onChange();
	};
	for (const r of roots) r.observeDeep(handler);
	return () => {
		for (const r of roots) r.unobserveDeep(handler);
	};
}

// ---- validation ----

function checkFields(patch: Partial<HouseholdFields>): void {
	if (patch.address !== undefined && (typeof patch.address !== 'string' || patch.address.length > 200))
		throw new DomainError('invalidAddress', 'address must be text of at most 200 characters');
	if (patch.head !== undefined && (typeof patch.head !== 'string' || patch.head.length > 100))
		throw new DomainError('invalidHead', 'head must be text of at most 100 characters');
	// a household is found by its address and named by its head: neither may be blank
	if (typeof patch.address === 'string' && patch.address.trim() === '') throw new DomainError('addressRequired', 'a household needs an address');
	if (typeof patch.head === 'string' && patch.head.trim() === '') throw new DomainError('headRequired', 'a household needs a head');
	if (patch.size !== undefined && (!Number.isInteger(patch.size) || patch.size < 0 || patch.size > 99))
		throw new DomainError('invalidSize', 'size must be a whole number from 0 to 99');
	if (patch.phone !== undefined && (typeof patch.phone !== 'string' || !/^[0-9+\- ]{0,20}$/.test(patch.phone)))
		throw new DomainError('invalidPhone', 'phone may hold digits, +, - and spaces, 20 at most');
	if (patch.tags !== undefined && (!Array.isArray(patch.tags) || patch.tags.some((t) => !(HOUSEHOLD_TAGS as readonly string[]).includes(t))))
		throw new DomainError('invalidTags', `tags must be among ${HOUSEHOLD_TAGS.join(', ')}`);
}

// ---- mutations ----

export function setGridMeta(doc: Y.Doc, meta: Partial<Omit<GridMeta, 'updatedAt'>>, at: string = new Date().toISOString()): void {
	doc.transact(() => {
		const m = metaMap(doc);
		if (meta.name !== undefined) m.set('name', meta.name);
		if (meta.communityId !== undefined) m.set('communityId', meta.communityId);
		if (meta.boundary !== undefined) m.set('boundary', meta.boundary);
		m.set('updatedAt', at);
	});
}

export interface NewHousehold extends HouseholdFields {
	lng: number;
	lat: number;
	colour: Colour;
	liaisonId?: string | null;
	nextVisitDue?: string | null;
}

/** Adds a household and records its first colour as a colour event; returns its id. */
export function addHousehold(
	doc: Y.Doc,
	input: NewHousehold,
	by: string,
	at: string = new Date().toISOString(),
	id: string = newId()
): string {
	checkFields(input);
	if (!isColour(input.colour)) throw new DomainError('invalidColour', 'unknown colour');
	if (!Number.isFinite(input.lng) || !Number.isFinite(input.lat))
		throw new DomainError('invalidLocation', 'a household needs a longitude and latitude');
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		householdsMap(doc).set(id, m);
		m.set('address', input.address);
		m.set('lng', input.lng);
		m.set('lat', input.lat);
		m.set('head', input.head);
		m.set('size', input.size);
		m.set('phone', input.phone);
		m.set('tags', [...input.tags]);
		m.set('colour', input.colour);
		m.set('liaisonId', input.liaisonId ?? null);
		m.set('nextVisitDue', input.nextVisitDue ?? null);
		colourEventsArray(doc).push([{ householdId: id, from: null, to: input.colour, reason: '登记', by, at }]);
	});
	return id;
}

/**
 * Sets the given fields of a household, each key on its own, so concurrent edits of different
 * fields merge. Unchanged values are not written (no empty updates).
 */
export function updateHousehold(doc: Y.Doc, id: string, patch: Partial<HouseholdFields>): void {
	checkFields(patch);
	const m = householdsMap(doc).get(id);
	if (!(m instanceof Y.Map)) throw new DomainError('unknownHousehold', `no household ${id}`);
	doc.transact(() => {
		for (const key of EDITABLE_FIELDS) {
			const value = patch[key];
			if (value === undefined) continue;
			const current = m.get(key);
			if (JSON.stringify(current) === JSON.stringify(value)) continue;
			m.set(key, Array.isArray(value) ? [...value] : value);
		}
	});
}

/** Changes a household's colour; a reason is required and the change is kept in `colourEvents`. */
export function changeColour(
	doc: Y.Doc,
	id: string,
	to: Colour,
	reason: string,
	by: string,
	at: string = new Date().toISOString(),
	byName?: string
): void {
	if (!isColour(to)) throw new DomainError('invalidColour', 'unknown colour');
	const trimmed = typeof reason === 'string' ? reason.trim() : '';
	if (trimmed.length === 0) throw new DomainError('reasonRequired', 'a colour change needs a reason');
	if (trimmed.length > 500) throw new DomainError('reasonTooLong', 'a reason has at most 500 characters');
	const m = householdsMap(doc).get(id);
	if (!(m instanceof Y.Map)) throw new DomainError('unknownHousehold', `no household ${id}`);
	const from = m.get('colour');
	if (from === to) return;
	doc.transact(() => {
		m.set('colour', to);
		colourEventsArray(doc).push([{ householdId: id, from: isColour(from) ? from : null, to, reason: trimmed, by, at, ...(byName ? { byName } : {}) }]);
	});
}
