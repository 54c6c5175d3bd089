/**
 * The stateless exchange by which a device learns what the server holds durably of one
 * document: the device asks, the server answers with the state vector of what its update log
 * holds, or with `null` ("not yet") while updates it has applied in memory are still waiting
 * to be logged. Only such an answer may tell a device that its edits are safe on the server.
 *
 * A state vector says nothing of deletions (deleting advances no clock), so the question may
 * carry the ranges this device deleted that are not yet confirmed ([client, clock, length]),
 * and the answer says whether the logged document has all of them deleted.
 */
import * as Y from 'yjs';

export const DURABLE_STATE_TYPE = 'durableState';

/** Deleted items: `length` consecutive clocks of `client` from `clock`. */
export type DeletionRange = [client: number, clock: number, length: number];

/** At most this many ranges in one question; more are answered as not held. */
export const MAX_QUERY_RANGES = 20_000;

export interface DurableStateQuery {
	/** Echoed in the answer, so the device knows which question's deletions it speaks of. */
	id: number;
	deletions: DeletionRange[];
}

export interface DurableStateAnswer {
	id: number | null;
	/** The logged state vector (Yjs encoding), or null while the log lags behind memory. */
	stateVector: Uint8Array | null;
	/** Whether the logged document has every range of the question deleted. */
	deletionsHeld: boolean;
}

export function encodeDurableStateQuery(id = 0, deletions: DeletionRange[] = []): string {
	return JSON.stringify({ type: DURABLE_STATE_TYPE, id, deletions });
}

/** The device's question, or undefined if the payload is not one. Malformed ranges make it hold none. */
export function parseDurableStateQuery(payload: string): DurableStateQuery | undefined {
	const o = parseObject(payload);
	if (o?.type !== DURABLE_STATE_TYPE || 'stateVector' in o) return undefined;
	const id = typeof o.id === 'number' && Number.isSafeInteger(o.id) ? o.id : 0;
	const raw = o.deletions ?? [];
	const valid =
		Array.isArray(raw) &&
		raw.length <= MAX_QUERY_RANGES &&
		raw.every((r) => Array.isArray(r) && r.length === 3 && r.every((n) => Number.isSafeInteger(n) && n >= 0) && r[2] > 0);
	// a question whose ranges cannot be read is answered as not held: [[0, 0, 0]] never is
	return { id, deletions: valid ? (raw as DeletionRange[]) : [[0, 0, 0]] };
}

/** Whether a stateless payload is the device's question (as opposed to anything else). */
export function isDurableStateQuery(payload: string): boolean {
	return parseDurableStateQuery(payload) !== undefined;
}

export function encodeDurableStateAnswer(id: number, stateVector: Uint8Array | null, deletionsHeld: boolean): string {
	return JSON.stringify({
		type: DURABLE_STATE_TYPE,
		id,
		stateVector: stateVector === null ? null : toBase64(stateVector),
		deletionsHeld: stateVector !== null && deletionsHeld
	});
}

/** The ranges an update deletes. */
export function deletionRanges(update: Uint8Array): DeletionRange[] {
	const ranges: DeletionRange[] = [];
	for (const [client, items] of Y.decodeUpdate(update).ds.clients) for (const d of items) ranges.push([client, d.clock, d.len]);
	return ranges;
}

/** Whether `doc` has every item of `ranges` deleted (a range of items it never had is not). */
export function deletionsHeld(doc: Y.Doc, ranges: DeletionRange[]): boolean {
	if (ranges.length === 0) return true;
	const ds = Y.createDeleteSetFromStructStore(doc.store);
	for (const [client, clock, length] of ranges) {
		if (length <= 0) return false;
		// the delete set's items per client are sorted and merged: walk them over the range
		let at = clock;
		const end = clock + length;
		for (const item of ds.clients.get(client) ?? []) {
			if (item.clock + item.len <= at) continue;
			if (item.clock > at) break;
			at = item.clock + item.len;
			if (at >= end) break;
		}
		if (at < end) return false;
	}
	return true;
}

/** The server's answer, or undefined if the payload is not one (or is malformed). */
export function parseDurableStateAnswer(payload: string): DurableStateAnswer | undefined {
	const o = parseObject(payload);
	if (o?.type !== DURABLE_STATE_TYPE || !('stateVector' in o)) return undefined;
	const id = typeof o.id === 'number' ? o.id : null;
	if (o.stateVector === null) return { id, stateVector: null, deletionsHeld: false };
	if (typeof o.stateVector !== 'string') return undefined;
	const bytes = fromBase64(o.stateVector);
	return bytes ? { id, stateVector: bytes, deletionsHeld: o.deletionsHeld === true } : undefined;
}

function parseObject(payload: string): Record<string, unknown> | undefined {
	try {
		const o: unknown = JSON.parse(payload);
		return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

function fromBase64(text: string): Uint8Array | undefined {
	try {
		const s = atob(text);
		const bytes = new Uint8Array(s.length);
		for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
		return bytes;
	} catch {
		return undefined;
	}
}
