/**
 * One decode per incoming update. Two extensions look inside every update before it is
 * applied (validation, persistence's pending check), each in its own
 * `beforeSync`; Hocuspocus hands all of them the same payload array, so the decoded form is
 * kept here, keyed by that array, and dropped with it.
 */
import * as Y from 'yjs';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

const decoded = new WeakMap<Uint8Array, DecodedUpdate>();

/** The decoded update; throws (every time) if `update` is corrupt. */
export function decodeUpdateOnce(update: Uint8Array): DecodedUpdate {
	let d = decoded.get(update);
	if (!d) {
		d = Y.decodeUpdate(update);
		decoded.set(update, d);
	}
	return d;
}
