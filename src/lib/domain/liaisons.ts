/**
 * Liaison members (联户党员) of a grid and their households (党员联户), in the grid document.
 *
 * - `liaisons` roster: member id → display name and anchor point (home or usual base), the
 *   point liaison suggestions measure distance from (liaison-suggest.ts).
 * - A household's member is its `liaisonId`; every (re)assignment is also appended to
 *   `liaisonEvents` with who and when, so reassignments are accountable. Two concurrent
 *   assignments keep both events; the field keeps one of them, the same on every device.
 * - `acquaintances`: an explicit "already acquainted" (就熟) pairing of a household with a
 *   member, which suggestions honour before distance.
 */
import * as Y from 'yjs';
import { DomainError, GRID_ROOTS, readHousehold } from './grid-doc.ts';
import type { Role } from './roles.ts';

/** Roles that assign households to liaison members (the client shows the assignment tools to these). */
export const ASSIGN_ROLES: readonly Role[] = ['gridWorker', 'committee', 'admin'];

export interface LiaisonMember {
	id: string;
	displayName: string;
	/** Anchor point: where distances to households are measured from. */
	lng: number;
	lat: number;
}

export interface LiaisonEvent {
	householdId: string;
	from: string | null;
	to: string | null;
	by: string;
	at: string;
}

type StoredMember = Omit<LiaisonMember, 'id'>;
const rosterMap = (doc: Y.Doc) => doc.getMap<StoredMember>(GRID_ROOTS.liaisons);
const eventsArray = (doc: Y.Doc) => doc.getArray<LiaisonEvent>(GRID_ROOTS.liaisonEvents);
const acquaintancesMap = (doc: Y.Doc) => doc.getMap<string>(GRID_ROOTS.acquaintances);

/** Adds or updates a member of the grid's liaison roster. */
export function setLiaisonMember(doc: Y.Doc, member: LiaisonMember): void {
	if (typeof member.id !== 'string' || member.id.length === 0 || member.id === '__proto__')
		throw new DomainError('invalidMember', 'a liaison member needs an id');
	if (!Number.isFinite(member.lng) || !Number.isFinite(member.lat))
		throw new DomainError('invalidLocation', 'a liaison member needs an anchor longitude and latitude');
	doc.transact(() => {
		rosterMap(doc).set(member.id, { displayName: String(member.displayName ?? ''), lng: member.lng, lat: member.lat });
	});
}

/** The roster, sorted by id. */
export function listLiaisonMembers(doc: Y.Doc): LiaisonMember[] {
	const out: LiaisonMember[] = [];
	rosterMap(doc).forEach((m, id) => {
		if (m && typeof m === 'object') out.push({ id, displayName: String(m.displayName ?? ''), lng: Number(m.lng), lat: Number(m.lat) });
	});
	return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Assigns household `householdId` to member `to` (null: unassigned), recorded in `liaisonEvents`. */
export function assignLiaison(doc: Y.Doc, householdId: string, to: string | null, by: string, at: string = new Date().toISOString()): void {
	const h = readHousehold(doc, householdId);
	if (!h) throw new DomainError('unknownHousehold', `no household ${householdId}`);
	if (h.liaisonId === to) return;
	const m = doc.getMap<Y.Map<unknown>>(GRID_ROOTS.households).get(householdId)!;
	doc.transact(() => {
		m.set('liaisonId', to);
		eventsArray(doc).push([{ householdId, from: h.liaisonId, to, by, at }]);
	});
}

/** A household's assignment history, oldest first. */
export function liaisonHistory(doc: Y.Doc, householdId: string): LiaisonEvent[] {
	return eventsArray(doc)
		.toArray()
		.filter((e) => e.householdId === householdId);
}

/** Records (or, with null, removes) that member `memberId` already knows household `householdId`. */
export function setAcquainted(doc: Y.Doc, householdId: string, memberId: string | null): void {
	if (!readHousehold(doc, householdId)) throw new DomainError('unknownHousehold', `no household ${householdId}`);
	doc.transact(() => {
		if (memberId === null) acquaintancesMap(doc).delete(householdId);
		else acquaintancesMap(doc).set(householdId, memberId);
	});
}

/** householdId → member id of every "acquainted" override. */
export function readAcquaintances(doc: Y.Doc): Record<string, string> {
	const out: Record<string, string> = {};
	acquaintancesMap(doc).forEach((memberId, householdId) => {
		if (typeof memberId === 'string') out[householdId] = memberId;
	});
	return out;
}
