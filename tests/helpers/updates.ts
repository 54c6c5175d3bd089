/**
 * Raw Yjs updates as an attacker builds them: past the named mutations, and with parts cut.
 */
import * as Y from 'yjs';

/**
 * `update` with its delete set replaced by an empty one (V1 encoding: the structs section, then
 * the delete set at the end). The attack of issue 12: a map overwrite whose delete set is
 * stripped looks like a plain insert on the wire, yet Yjs deletes the old value on integration.
 */
export function stripDeleteSet(update: Uint8Array): Uint8Array {
	const structs = Y.decodeUpdate(update).structs.length;
	for (let end = update.length - 1; end > 0; end--) {
		const candidate = new Uint8Array(end + 1);
		candidate.set(update.subarray(0, end));
		candidate[end] = 0;
		try {
			const d = Y.decodeUpdate(candidate);
			if (d.ds.clients.size === 0 && d.structs.length === structs) return candidate;
		} catch {
			// not the boundary
		}
	}
	throw new Error('no delete set boundary found');
}

/** The updates `change` makes to a copy of `doc`, one per transaction, as a provider sends them. */
export function updatesOf(doc: Y.Doc, change: (copy: Y.Doc) => void, clientID?: number): Uint8Array[] {
	const copy = new Y.Doc();
	if (clientID !== undefined) copy.clientID = clientID;
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const out: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => out.push(u));
	change(copy);
	copy.destroy();
	return out;
}
