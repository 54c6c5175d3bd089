/**
 * How many edits made on this device the server does not hold yet, from state vectors.
 *
 * The provider's own unsynced counter lives in memory and is gone after a reload, so each
 * device stores the last state vector the server confirmed (syncState) and the Yjs client ids
 * that wrote on this device since. The difference between the document's state vector and the
 * confirmed one, over those clients, counts the Yjs items the server lacks: one per field set,
 * one per colour event, so close to the number of edits. Items that came from the server or
 * from nobody on this device never count, so a first download counts nothing.
 */
import * as Y from 'yjs';

export function unsyncedEdits(
	local: Uint8Array,
	confirmed: Uint8Array | undefined,
	localClients: Iterable<number>
): number {
	const l = Y.decodeStateVector(local);
	const c = confirmed ? Y.decodeStateVector(confirmed) : new Map<number, number>();
	let n = 0;
	for (const client of new Set(localClients)) n += Math.max(0, (l.get(client) ?? 0) - (c.get(client) ?? 0));
	return n;
}

/**
 * The clients among `localClients` that wrote items beyond the confirmed state vector: the
 * ones still to watch once the server has confirmed `confirmed`.
 */
export function clientsAhead(local: Uint8Array, confirmed: Uint8Array, localClients: Iterable<number>): number[] {
	const l = Y.decodeStateVector(local);
	const c = Y.decodeStateVector(confirmed);
	return [...new Set(localClients)].filter((client) => (l.get(client) ?? 0) > (c.get(client) ?? 0));
}
