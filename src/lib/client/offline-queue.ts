/**
 * Keeps document updates out of a HocuspocusProviderWebsocket's offline queue.
 *
 * While its WebSocket is not open, the socket's send() queues every message and sends them all,
 * one by one, once the next connection answers. For a tablet that worked offline that is one
 * message per edit: thousands of updates, each applied, logged (a row of the update log) and
 * acknowledged by the server on its own, and more than the server holds for a connection that
 * is still authenticating (Hocuspocus's maxUnauthenticatedQueueMessages, 1,000): it resets the
 * connection. They are also redundant: on every (re)connect each provider starts the handshake
 * (SyncStep1), and its reply to the server's SyncStep1 is one SyncStep2 holding everything the
 * server lacks, offline edits included, acknowledged once. So while the socket is not open, an
 * update (Sync message, sub-type update) is dropped here instead of queued; every other kind
 * (authentication, handshake, awareness, stateless questions, close) is queued as before.
 *
 * The provider's unsynced count then reaches 0 only with the acknowledgement of that merged
 * SyncStep2: the handshake resets it to 1 and no queued update's acknowledgement comes first.
 *
 * Only public API is used: send() is wrapped on the instance (the queue itself, addToQueue, is
 * private), and "not open" is the same test send() makes, on the public webSocket.
 */
import { type HocuspocusProviderWebsocket, MessageType } from '@hocuspocus/provider';
import { WsReadyStates } from '@hocuspocus/common';
import * as decoding from 'lib0/decoding';
import { messageYjsUpdate } from 'y-protocols/sync';

const applied = new WeakSet<HocuspocusProviderWebsocket>();

/**
 * Whether `message` is a document update (document name, Sync, sub-type update), the kind the
 * next handshake carries anyway. Anything unreadable is not.
 */
export function isDocumentUpdate(message: unknown): boolean {
	if (!(message instanceof Uint8Array)) return false;
	try {
		const decoder = decoding.createDecoder(message);
		decoding.readVarString(decoder); // document name (routing key)
		if (decoding.readVarUint(decoder) !== MessageType.Sync) return false;
		return decoding.readVarUint(decoder) === messageYjsUpdate;
	} catch {
		return false;
	}
}

/** From now on, `ws` drops document updates while its WebSocket is not open (see above). */
export function keepUpdatesOutOfQueue(ws: HocuspocusProviderWebsocket): void {
	if (applied.has(ws)) return;
	applied.add(ws);
	const send = ws.send.bind(ws);
	ws.send = (message: Uint8Array) => {
		if (ws.webSocket?.readyState !== WsReadyStates.Open && isDocumentUpdate(message)) return;
		send(message);
	};
}
