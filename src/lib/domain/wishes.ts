/**
 * Micro-wishes (微心愿): 群众点单、社区派单、党员接单 — posted → dispatched → claimed → done,
 * in the grid document's `wishes` root: Y.Map<wishId, Y.Map> (design.md §2).
 *
 * Each step writes its own keys (who and when), so steps taken on different devices merge.
 * The status is not a stored field that two devices could set differently; it is read from
 * the steps present: done if a completion is recorded, claimed if a valid claim exists,
 * dispatched if a dispatch is recorded, else posted.
 *
 * Claims are an append-only Y.Array per wish: two members who claim the same wish offline
 * both append. The winner is decided the same way on every device: the claim the server
 * received first (the server writes each claim's receive time into the `receipts` root as it
 * accepts it, receipts.ts; a device clock can be skewed or back-dated, the server's cannot be
 * set by a client), ties by claimant id, then claim id. Claims the server has not received yet
 * rank after every received one (they will be received later), among themselves by their
 * device time: a provisional order until the server's word arrives. The other claimant is
 * shown "already claimed by X".
 * When a wish was dispatched to one member, only that member's claims count.
 */
import * as Y from 'yjs';
import { DomainError, GRID_ROOTS, readHousehold } from './grid-doc.ts';
import { newId } from './ids.ts';
import { readReceipts } from './receipts.ts';
import type { Role } from './roles.ts';

export const WISH_STATUSES = ['posted', 'dispatched', 'claimed', 'done'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];

export interface Claim {
	id: string;
	by: string;
	byName: string;
	at: string;
}

export interface Wish {
	id: string;
	householdId: string;
	text: string;
	status: WishStatus;
	postedBy: string;
	postedByName: string;
	postedAt: string;
	dispatchedBy: string | null;
	dispatchedByName: string;
	dispatchedAt: string | null;
	/** The member it was dispatched to; null for the open pool (or not yet dispatched). */
	dispatchedTo: string | null;
	dispatchedToName: string | null;
	/** Every claim, in winning order (the winner first). */
	claims: Claim[];
	/** The winning claim's member, or null. */
	claimedBy: string | null;
	claimedByName: string | null;
	claimedAt: string | null;
	doneBy: string | null;
	doneByName: string;
	doneAt: string | null;
	doneNote: string;
}

/** Who acts, and when (the device clock). */
export interface Actor {
	by: string;
	byName?: string;
	at?: string;
}

/**
 * Which roles take which step of the workflow (the client shows only these buttons; the
 * server's judge is document access). The winning claimant may also mark their wish done.
 */
export type WishStep = 'post' | 'dispatch' | 'claim' | 'complete';
export const WISH_STEP_ROLES: Readonly<Record<WishStep, readonly Role[]>> = {
	post: ['gridWorker', 'liaison', 'committee', 'admin'],
	dispatch: ['committee', 'admin'],
	claim: ['liaison', 'gridWorker'],
	complete: ['committee', 'admin']
};

export function mayTakeWishStep(roles: readonly Role[], step: WishStep): boolean {
	return roles.some((r) => WISH_STEP_ROLES[step].includes(r));
}

const TEXT_MAX = 500;
const wishesMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(GRID_ROOTS.wishes);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The claims in winning order: received by the server first (`receivedAt`: claim id → the
 * server's receive time), then claims not yet received by device time; ties by claimant id,
 * then claim id.
 */
export function rankClaims(claims: readonly Claim[], receivedAt: (claimId: string) => string | undefined = () => undefined): Claim[] {
	const key = (c: Claim): [number, number] => {
		const r = receivedAt(c.id);
		const t = r === undefined ? NaN : Date.parse(r);
		return Number.isNaN(t) ? [1, Date.parse(c.at) || 0] : [0, t];
	};
	return [...claims]
		.map((c) => ({ c, k: key(c) }))
		.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || cmp(a.c.by, b.c.by) || cmp(a.c.id, b.c.id))
		.map((x) => x.c);
}

function toWish(id: string, m: Y.Map<unknown>, receipts: ReadonlyMap<string, string> | null = m.doc ? readReceipts(m.doc) : null): Wish {
	const dispatchedAt = str(m.get('dispatchedAt'));
	const dispatchedTo = str(m.get('dispatchedTo'));
	const raw = m.get('claims');
	const all = raw instanceof Y.Array ? (raw.toArray() as Claim[]).filter((c) => c && typeof c.by === 'string' && typeof c.at === 'string') : [];
	const receivedAt = (claimId: string) => receipts?.get(claimId);
	const ranked = rankClaims(dispatchedTo ? all.filter((c) => c.by === dispatchedTo) : all, receivedAt);
	// A completion credits the claimant it was made for: a re-dispatch or a claim's receipt that
	// arrives afterwards (an offline tablet) does not move a done wish to someone else.
	const doneClaimant = str(m.get('doneAt')) ? str(m.get('doneClaimant')) : null;
	const credited = doneClaimant ? (rankClaims(all.filter((c) => c.by === doneClaimant), receivedAt)[0] ?? null) : null;
	const claims = credited ? [credited, ...ranked.filter((c) => c !== credited)] : ranked;
	const winner = credited ?? (dispatchedAt ? (claims[0] ?? null) : null);
	const doneAt = winner ? str(m.get('doneAt')) : null;
	const status: WishStatus = doneAt ? 'done' : winner ? 'claimed' : dispatchedAt ? 'dispatched' : 'posted';
	return {
		id,
		householdId: String(m.get('householdId') ?? ''),
		text: String(m.get('text') ?? ''),
		status,
		postedBy: String(m.get('postedBy') ?? ''),
		postedByName: String(m.get('postedByName') ?? ''),
		postedAt: String(m.get('postedAt') ?? ''),
		dispatchedBy: str(m.get('dispatchedBy')),
		dispatchedByName: String(m.get('dispatchedByName') ?? ''),
		dispatchedAt,
		dispatchedTo,
		dispatchedToName: str(m.get('dispatchedToName')),
		claims,
		claimedBy: winner?.by ?? null,
		claimedByName: winner?.byName ?? null,
		claimedAt: winner?.at ?? null,
		doneBy: doneAt ? str(m.get('doneBy')) : null,
		doneByName: doneAt ? String(m.get('doneByName') ?? '') : '',
		doneAt,
		doneNote: doneAt ? String(m.get('doneNote') ?? '') : ''
	};
}

export function readWish(doc: Y.Doc, id: string): Wish | null {
	const m = wishesMap(doc).get(id);
	return m instanceof Y.Map ? toWish(id, m) : null;
}

/** Every wish, oldest first (ties by id). */
export function listWishes(doc: Y.Doc): Wish[] {
	const out: Wish[] = [];
	const receipts = readReceipts(doc); // once for all wishes
	wishesMap(doc).forEach((m, id) => {
		if (m instanceof Y.Map) out.push(toWish(id, m, receipts));
	});
	return out.sort((a, b) => cmp(a.postedAt, b.postedAt) || cmp(a.id, b.id));
}

/** The wishes of each status column of the wish board. */
export function wishesByStatus(doc: Y.Doc): Record<WishStatus, Wish[]> {
	const board: Record<WishStatus, Wish[]> = { posted: [], dispatched: [], claimed: [], done: [] };
	for (const w of listWishes(doc)) board[w.status].push(w);
	return board;
}

/**
 * What a member's claim came to: `won`, `lost` (someone else's claim wins: "already claimed by
 * X"), or `none` (no claim of theirs).
 */
export function claimOutcome(wish: Wish, memberId: string): 'won' | 'lost' | 'none' {
	if (wish.claimedBy === memberId) return 'won';
	return wish.claims.some((c) => c.by === memberId) && wish.claimedBy !== null ? 'lost' : 'none';
}

function wishMap(doc: Y.Doc, id: string): Y.Map<unknown> {
	const m = wishesMap(doc).get(id);
	if (!(m instanceof Y.Map)) throw new DomainError('unknownWish', `no wish ${id}`);
	return m;
}

/** 群众点单: posts a wish for a household; returns its id. Posting the same id again writes nothing (a double tap). */
export function postWish(doc: Y.Doc, householdId: string, text: string, actor: Actor, id: string = newId()): string {
	if (wishesMap(doc).get(id) instanceof Y.Map) return id;
	const trimmed = typeof text === 'string' ? text.trim() : '';
	if (trimmed.length === 0) throw new DomainError('wishTextRequired', 'a wish needs a text');
	if (trimmed.length > TEXT_MAX) throw new DomainError('wishTextTooLong', `a wish has at most ${TEXT_MAX} characters`);
	if (!readHousehold(doc, householdId)) throw new DomainError('unknownHousehold', `no household ${householdId}`);
	if (id === '__proto__') throw new DomainError('invalidId', 'invalid id');
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		wishesMap(doc).set(id, m);
		m.set('householdId', householdId);
		m.set('text', trimmed);
		m.set('postedBy', actor.by);
		m.set('postedByName', actor.byName ?? '');
		m.set('postedAt', actor.at ?? new Date().toISOString());
		m.set('claims', new Y.Array<Claim>());
	});
	return id;
}

/**
 * 社区派单: dispatches a posted (or dispatched, not yet claimed) wish to member `to`, or to the
 * open pool with `to` null.
 */
export function dispatchWish(doc: Y.Doc, id: string, to: { id: string; displayName: string } | null, actor: Actor): void {
	const m = wishMap(doc, id);
	const w = toWish(id, m);
	if (w.status !== 'posted' && w.status !== 'dispatched') throw new DomainError('wishAlreadyClaimed', 'a claimed wish cannot be dispatched again');
	doc.transact(() => {
		m.set('dispatchedBy', actor.by);
		m.set('dispatchedByName', actor.byName ?? '');
		m.set('dispatchedAt', actor.at ?? new Date().toISOString());
		m.set('dispatchedTo', to?.id ?? null);
		m.set('dispatchedToName', to?.displayName ?? null);
	});
}

/**
 * 党员接单: appends a claim. Refused here when this device already knows of a winning claim
 * (DomainError `wishAlreadyClaimed`); claims made offline at the same time are all kept and
 * the winner is decided on read.
 */
export function claimWish(doc: Y.Doc, id: string, actor: Actor, claimId: string = newId()): void {
	const m = wishMap(doc, id);
	const w = toWish(id, m);
	if (w.status === 'posted') throw new DomainError('wishNotDispatched', 'a wish is claimed after the community dispatches it');
	if (w.claimedBy !== null) throw new DomainError('wishAlreadyClaimed', `already claimed by ${w.claimedByName || w.claimedBy}`);
	if (w.dispatchedTo !== null && w.dispatchedTo !== actor.by)
		throw new DomainError('wishDispatchedToOther', `dispatched to ${w.dispatchedToName || w.dispatchedTo}`);
	doc.transact(() => {
		let claims = m.get('claims');
		if (!(claims instanceof Y.Array)) {
			claims = new Y.Array<Claim>();
			m.set('claims', claims);
		}
		(claims as Y.Array<Claim>).push([{ id: claimId, by: actor.by, byName: actor.byName ?? '', at: actor.at ?? new Date().toISOString() }]);
	});
}

/** Marks a claimed wish done, with a note. */
export function completeWish(doc: Y.Doc, id: string, note: string, actor: Actor): void {
	const m = wishMap(doc, id);
	const w = toWish(id, m);
	if (w.status === 'done') return;
	if (w.status !== 'claimed') throw new DomainError('wishNotClaimed', 'a wish is done after a member claims it');
	if (typeof note !== 'string' || note.length > TEXT_MAX) throw new DomainError('noteTooLong', `a note has at most ${TEXT_MAX} characters`);
	doc.transact(() => {
		m.set('doneBy', actor.by);
		m.set('doneByName', actor.byName ?? '');
		m.set('doneAt', actor.at ?? new Date().toISOString());
		m.set('doneNote', note.trim());
		if (w.claimedBy) m.set('doneClaimant', w.claimedBy);
	});
}
