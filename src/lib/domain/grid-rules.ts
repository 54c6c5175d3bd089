/**
 * The rules of a grid document, judged on the server for every update (issue 12): a liaison
 * member of one grid could delete every household, the colour history, rename the grid, move
 * it to another community, record visits and wish steps in other people's names and back-date
 * claims, and the server acknowledged it all.
 *
 * - Histories (`colourEvents`, `visits`, `liaisonEvents`, each wish's claims) are append-only.
 * - A record made "by" someone is made by the sender (`by`, `postedBy`, `dispatchedBy`, `doneBy`).
 * - The grid's meta (name, boundary) is the admin's (the admin pages write it through the
 *   server); `communityId` follows the place tree and no client moves it.
 * - Adding a household: grid workers, committee members, admins; deleting one: committee
 *   members and admins. A colour change comes with its colour event, an assignment with its
 *   liaison event (assignments by ASSIGN_ROLES).
 * - Wish steps follow WISH_STEP_ROLES: 点单 post, 派单 dispatch, 接单 claim, 完成 complete (or
 *   the winning claimant), each in the sender's own name, in order.
 * - `receipts` is the server's (receipts.ts); every claim the server accepts gets its receive
 *   time there, which decides who claimed first.
 * - Every changed record fits the schema (schema-check.ts); device times lie in the window
 *   around the server's receive time.
 *
 * Cost: only the records under the keys the update touched are read (doc-change.ts), so a
 * 5,000-household grid is judged as fast as a small one.
 */
import * as Y from 'yjs';
import { COLOURS } from './colours.ts';
import type { DocChange } from './doc-change.ts';
import { EDITABLE_FIELDS, GRID_ROOTS, HOUSEHOLD_TAGS } from './grid-doc.ts';
import { ASSIGN_ROLES } from './liaisons.ts';
import { writeReceipts } from './receipts.ts';
import type { Role } from './roles.ts';
import type { Actor, DocRules } from './rules.ts';
import { arrayOf, type Check, checkRecord, deviceTime, FIELD_LIMITS, finite, int, isoTime, LIMITS, oneOf, orNull, plainObject, text } from './schema-check.ts';
import { VISIT_MODES } from './visits.ts';
import { readWish, WISH_STEP_ROLES, type WishStep } from './wishes.ts';

export const HOUSEHOLD_ADD_ROLES: readonly Role[] = ['gridWorker', 'committee', 'admin'];
export const HOUSEHOLD_DELETE_ROLES: readonly Role[] = ['committee', 'admin'];
export const GRID_META_ROLES: readonly Role[] = ['admin'];

const HISTORIES = [GRID_ROOTS.colourEvents, GRID_ROOTS.visits, GRID_ROOTS.liaisonEvents] as const;
const ROOT_NAMES = new Set<string>(Object.values(GRID_ROOTS));
const has = (roles: readonly Role[], allowed: readonly Role[]) => roles.some((r) => allowed.includes(r));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const json = (v: unknown): unknown => (v instanceof Y.AbstractType ? v.toJSON() : v);

const id: Check = text(LIMITS.id, 1);
const PHONE = new RegExp(`^[0-9+\\- ]{0,${FIELD_LIMITS.householdPhone}}$`);
const phone: Check = (v) => (typeof v === 'string' && PHONE.test(v) ? null : 'not a phone number');
const colour = oneOf(COLOURS);

/** The household fields and their checks (the keys `addHousehold` writes). */
const HOUSEHOLD_FIELDS: Record<string, Check> = {
	address: text(FIELD_LIMITS.householdAddress),
	lng: finite,
	lat: finite,
	head: text(FIELD_LIMITS.householdHead),
	size: int(0, 99),
	phone,
	tags: arrayOf(oneOf(HOUSEHOLD_TAGS), HOUSEHOLD_TAGS.length),
	colour,
	liaisonId: orNull(id),
	nextVisitDue: orNull(isoTime)
};

const WISH_POST = ['householdId', 'text', 'postedBy', 'postedByName', 'postedAt'];
const WISH_DISPATCH = ['dispatchedBy', 'dispatchedByName', 'dispatchedAt', 'dispatchedTo', 'dispatchedToName'];
const WISH_DONE = ['doneBy', 'doneByName', 'doneAt', 'doneNote', 'doneClaimant'];

function wishFields(now: string): Record<string, Check> {
	return {
		householdId: id,
		text: text(FIELD_LIMITS.wishText, 1),
		postedBy: id,
		postedByName: text(LIMITS.name),
		postedAt: deviceTime(now),
		claims: () => null, // a Y.Array, judged claim by claim
		dispatchedBy: id,
		dispatchedByName: text(LIMITS.name),
		dispatchedAt: deviceTime(now),
		dispatchedTo: orNull(id),
		dispatchedToName: orNull(text(LIMITS.name)),
		doneBy: id,
		doneByName: text(LIMITS.name),
		doneAt: deviceTime(now),
		doneNote: text(FIELD_LIMITS.wishDoneNote),
		doneClaimant: id
	};
}

const householdMap = (doc: Y.Doc, hid: string): unknown => doc.getMap(GRID_ROOTS.households).get(hid);
/**
 * Whether household `hid` is or was in the grid: a household deleted while a tablet was offline
 * still takes that tablet's visits and events (Yjs keeps a deleted key's last item in `_map`).
 */
const householdExists = (doc: Y.Doc, hid: unknown) =>
	typeof hid === 'string' && (householdMap(doc, hid) instanceof Y.Map || doc.getMap(GRID_ROOTS.households)._map.has(hid));

interface Claim {
	id: string;
	by: string;
	byName: string;
	at: string;
}

function claimsOf(wish: unknown): unknown[] {
	if (!(wish instanceof Y.Map)) return [];
	const c = wish.get('claims');
	return c instanceof Y.Array ? c.toArray().map(json) : [];
}

/** Plain values of a wish's keys (its claims left out). */
function wishValues(wish: unknown): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (wish instanceof Y.Map) wish.forEach((v, k) => (out[k] = k === 'claims' ? (v instanceof Y.Array ? 'claims' : json(v)) : json(v)));
	return out;
}

function checkMeta(before: Y.Doc, after: Y.Doc, keys: Set<string>, actor: Actor, out: string[]): void {
	const mb = before.getMap(GRID_ROOTS.meta);
	const ma = after.getMap(GRID_ROOTS.meta);
	for (const key of keys) {
		if (same(json(mb.get(key)), json(ma.get(key)))) continue;
		if (key === 'communityId') out.push('meta.communityId follows the place tree: no client moves a grid');
		else if (key === 'name' || key === 'boundary' || key === 'updatedAt') {
			if (!has(actor.roles, GRID_META_ROLES)) out.push(`meta.${key} is changed by an admin only`);
			const bad = key === 'name' ? text(LIMITS.name, 1)(ma.get(key)) : key === 'updatedAt' ? isoTime(ma.get(key)) : null;
			if (bad) out.push(`meta.${key} ${bad}`);
		} else out.push(`meta.${key} is not a field`);
	}
}

/** Colour and liaison events inserted by this update, by household. */
function insertedEvents(change: DocChange, root: string): Map<string, Record<string, unknown>[]> {
	const out = new Map<string, Record<string, unknown>[]>();
	for (const e of change.inserted.get(root) ?? []) {
		if (!plainObject(e) || typeof e.householdId !== 'string') continue;
		const list = out.get(e.householdId) ?? [];
		list.push(e);
		out.set(e.householdId, list);
	}
	return out;
}

function checkHouseholds(before: Y.Doc, after: Y.Doc, change: DocChange, keys: Set<string>, actor: Actor, out: string[]): void {
	const colourEvents = insertedEvents(change, GRID_ROOTS.colourEvents);
	const liaisonEvents = insertedEvents(change, GRID_ROOTS.liaisonEvents);
	for (const hid of keys) {
		const hb = householdMap(before, hid);
		const ha = householdMap(after, hid);
		if (ha === undefined) {
			if (hb !== undefined && !has(actor.roles, HOUSEHOLD_DELETE_ROLES)) out.push(`household ${hid} deleted by someone not a committee member or admin`);
			continue;
		}
		if (!(ha instanceof Y.Map)) {
			out.push(`household ${hid} is not a record`);
			continue;
		}
		const a = ha.toJSON() as Record<string, unknown>;
		const b = hb instanceof Y.Map ? (hb.toJSON() as Record<string, unknown>) : null;
		if (id(hid)) out.push(`household id ${hid.slice(0, 80)} is not an id`);
		if (b === null) {
			if (!has(actor.roles, HOUSEHOLD_ADD_ROLES)) out.push(`household ${hid} added by someone not a grid worker, committee member or admin`);
			// added with its first colour event (addHousehold)
			if (!colourEvents.get(hid)?.some((e) => e.to === a.colour && e.by === actor.userId)) out.push(`household ${hid} added without its colour event`);
		}
		// a new household has every field; on an existing one an editable field may be cleared
		// (read as empty), the others stay
		const optional = b === null ? [] : Object.keys(HOUSEHOLD_FIELDS).filter((k) => !(k in b) || (EDITABLE_FIELDS as readonly string[]).includes(k));
		out.push(...checkRecord(`household ${hid}`, a, HOUSEHOLD_FIELDS, optional));
		if (b === null) continue;
		for (const key of Object.keys(HOUSEHOLD_FIELDS)) {
			if (same(a[key], b[key])) continue;
			// (`from` is what the sender's device saw: a concurrent change may have come between)
			if (key === 'colour' && !colourEvents.get(hid)?.some((e) => e.to === a.colour && e.by === actor.userId))
				out.push(`household ${hid} colour changed without its colour event`);
			if (key === 'liaisonId') {
				if (!has(actor.roles, ASSIGN_ROLES)) out.push(`household ${hid} assigned by someone not a grid worker, committee member or admin`);
				if (!liaisonEvents.get(hid)?.some((e) => e.to === (a.liaisonId ?? null) && e.by === actor.userId))
					out.push(`household ${hid} assigned without its liaison event`);
			}
			if ((key === 'lng' || key === 'lat') && !has(actor.roles, HOUSEHOLD_ADD_ROLES)) out.push(`household ${hid} moved by someone not a grid worker, committee member or admin`);
		}
	}
}

function checkHistories(after: Y.Doc, change: DocChange, actor: Actor, out: string[]): void {
	const time = deviceTime(actor.now);
	for (const root of HISTORIES) if ((change.deleted.get(root) ?? 0) > 0) out.push(`${root} is append-only: ${change.deleted.get(root)} deleted`);
	const by: Check = (v) => (v === actor.userId ? null : `is not the sender (${String(v).slice(0, 80)})`);
	const household: Check = (v) => (householdExists(after, v) ? null : 'is not a household of this grid');
	for (const e of change.inserted.get(GRID_ROOTS.colourEvents) ?? [])
		// byName: the changer's name for other devices offline (optional: older clients leave it out)
		out.push(
			...checkRecord('colour event', e, { householdId: household, from: orNull(colour), to: colour, reason: text(FIELD_LIMITS.colourReason, 1), by, byName: text(LIMITS.name), at: time }, ['byName'])
		);
	for (const v of change.inserted.get(GRID_ROOTS.visits) ?? [])
		out.push(
			...checkRecord('visit', v, { id, householdId: household, by, byName: text(LIMITS.name), at: time, mode: oneOf(VISIT_MODES), note: text(FIELD_LIMITS.visitNote) })
		);
	const liaisonEvents = change.inserted.get(GRID_ROOTS.liaisonEvents) ?? [];
	if (liaisonEvents.length > 0 && !has(actor.roles, ASSIGN_ROLES)) out.push('liaison events are recorded by grid workers, committee members and admins only');
	for (const e of liaisonEvents)
		out.push(...checkRecord('liaison event', e, { householdId: household, from: orNull(id), to: orNull(id), by, at: time }));
}

function checkWishes(before: Y.Doc, after: Y.Doc, keys: Set<string>, actor: Actor, out: string[], receipts: string[]): void {
	const fields = wishFields(actor.now);
	const may = (step: WishStep) => has(actor.roles, WISH_STEP_ROLES[step]);
	const wb = before.getMap(GRID_ROOTS.wishes);
	const wa = after.getMap(GRID_ROOTS.wishes);
	for (const wid of keys) {
		const mb = wb.get(wid);
		const ma = wa.get(wid);
		if (ma === undefined) {
			if (mb !== undefined) out.push(`wish ${wid} deleted: wishes are kept`);
			continue;
		}
		if (!(ma instanceof Y.Map) || !(ma.get('claims') instanceof Y.Array)) {
			out.push(`wish ${wid} is not a wish record`);
			continue;
		}
		const a = wishValues(ma);
		const b = mb instanceof Y.Map ? wishValues(mb) : null;
		out.push(...checkRecord(`wish ${wid}`, a, fields, [...WISH_DISPATCH, ...WISH_DONE]));
		const changed = (keys: string[]) => keys.filter((k) => !same(a[k], b?.[k]));
		if (b === null) {
			if (id(wid)) out.push(`wish id ${wid.slice(0, 80)} is not an id`);
			if (!may('post')) out.push(`wish ${wid} posted by someone whose role does not post wishes`);
			if (a.postedBy !== actor.userId) out.push(`wish ${wid} posted in the name of ${String(a.postedBy)}`);
			if (!householdExists(after, a.householdId)) out.push(`wish ${wid} is for no household of this grid`);
		} else if (changed(WISH_POST).length > 0) out.push(`wish ${wid} rewritten (${changed(WISH_POST).join(', ')})`);
		const wishBefore = b === null ? null : readWish(before, wid);
		const wishAfter = readWish(after, wid)!;
		if (changed(WISH_DISPATCH).length > 0) {
			if (!may('dispatch')) out.push(`wish ${wid} dispatched by someone whose role does not dispatch`);
			if (a.dispatchedBy !== actor.userId) out.push(`wish ${wid} dispatched in the name of ${String(a.dispatchedBy)}`);
			// A re-dispatch may cross a claim made meanwhile (an offline tablet): allowed, as the
			// community's decision. It may also cross the wish's completion (the dispatcher was
			// offline): allowed too, and harmless, since a completion credits the claimant it was
			// made for (`doneClaimant`, wishes.ts) whatever the dispatch says afterwards. Refusing
			// it would leave that tablet re-sending the refused update for ever.
			void wishBefore;
		}
		// claims: the old ones all kept, the new ones the sender's own. Not by position: a claim
		// made offline integrates before or after one received meanwhile, as Yjs orders them.
		const remaining = new Map<string, number>();
		for (const c of claimsOf(mb)) remaining.set(JSON.stringify(c), (remaining.get(JSON.stringify(c)) ?? 0) + 1);
		const added: unknown[] = [];
		for (const c of claimsOf(ma)) {
			const k = JSON.stringify(c);
			const n = remaining.get(k) ?? 0;
			if (n > 0) remaining.set(k, n - 1);
			else added.push(c);
		}
		if ([...remaining.values()].some((n) => n > 0)) out.push(`wish ${wid} claims are append-only`);
		else
			for (const c of added) {
				const bad = checkRecord(`claim on ${wid}`, c, { id, by: (v) => (v === actor.userId ? null : `is not the sender (${String(v)})`), byName: text(LIMITS.name), at: deviceTime(actor.now) });
				out.push(...bad);
				if (!may('claim')) out.push(`wish ${wid} claimed by someone whose role does not claim`);
				if (!wishAfter.dispatchedAt) out.push(`wish ${wid} claimed before it was dispatched`);
				// a claim crossing a re-dispatch to another member is kept but never counts (wishes.ts)
				if (bad.length === 0) receipts.push((c as Claim).id);
			}
		if (changed(WISH_DONE).length > 0) {
			// two completions made offline (claimant and committee) may cross: the later one is kept,
			// in its sender's own name; the points go to the winning claimant either way
			if (a.doneBy !== actor.userId) out.push(`wish ${wid} marked done in the name of ${String(a.doneBy)}`);
			if (!may('complete') && wishAfter.claimedBy !== actor.userId) out.push(`wish ${wid} marked done by someone neither its claimant nor allowed to complete`);
			if (!wishAfter.claimedBy) out.push(`wish ${wid} marked done before it was claimed`);
			if (a.doneClaimant !== undefined && !claimsOf(ma).some((c) => (c as Claim).by === a.doneClaimant))
				out.push(`wish ${wid} marked done for ${String(a.doneClaimant)}, who never claimed it`);
		}
	}
}

function checkRoster(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor, out: string[]): void {
	for (const [root, check] of [
		[GRID_ROOTS.liaisons, (v: unknown) => checkRecord('liaison member', v, { displayName: text(LIMITS.name), lng: finite, lat: finite })],
		[GRID_ROOTS.acquaintances, (v: unknown) => (id(v) ? ['acquaintance is not a member id'] : [])]
	] as const) {
		const keys = change.keys.get(root);
		if (!keys) continue;
		for (const key of keys) {
			const va = json(after.getMap(root).get(key));
			if (same(json(before.getMap(root).get(key)), va)) continue;
			if (!has(actor.roles, ASSIGN_ROLES)) out.push(`${root}.${key} changed by someone not a grid worker, committee member or admin`);
			if (id(key)) out.push(`${root} key is not an id`);
			if (va !== undefined) out.push(...check(va));
		}
	}
}

function violations(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor, receipts: string[] = []): string[] {
	const out: string[] = [];
	for (const root of change.roots) if (!ROOT_NAMES.has(root)) out.push(`root ${root.slice(0, 80)} is not part of a grid document`);
	if (change.roots.has(GRID_ROOTS.receipts)) out.push('receipts are written by the server only');
	const keys = (root: string) => change.keys.get(root) ?? new Set<string>();
	if (change.roots.has(GRID_ROOTS.meta)) checkMeta(before, after, keys(GRID_ROOTS.meta), actor, out);
	if (change.roots.has(GRID_ROOTS.households)) checkHouseholds(before, after, change, keys(GRID_ROOTS.households), actor, out);
	checkHistories(after, change, actor, out);
	if (change.roots.has(GRID_ROOTS.wishes)) checkWishes(before, after, keys(GRID_ROOTS.wishes), actor, out, receipts);
	checkRoster(before, after, change, actor, out);
	return out;
}

export const gridRules: DocRules = {
	judge(before, after, change, actor) {
		const receipts: string[] = [];
		const found = violations(before, after, change, actor, receipts);
		return {
			violations: found,
			// the server's receive time of each accepted claim decides who claimed first
			followUp: found.length === 0 && receipts.length > 0 ? (live) => writeReceipts(live, receipts, actor.now) : null
		};
	}
};
