/**
 * Presence is the server's word (issues 12 and 14). Every awareness message a connection sends
 * is rewritten before Hocuspocus applies and relays it (`beforeHandleAwareness`, whose map of
 * states is what gets applied):
 *
 * - a connection speaks for one client id only: the first it announces that no other user's
 *   connection holds (a reconnect of the same user may take its old id over); entries for any
 *   other id are dropped, so nobody (read-only or not) can overwrite another participant or
 *   inject a fake one;
 * - the entry's `user` is the connection's user as the server knows it (id, display name,
 *   whether read-only) with the palette colour of that id (src/lib/domain/presence.ts); of
 *   the rest only a well-formed caret (`cursor`) is kept;
 * - the map Hocuspocus hands the hook also holds the state of its own scratch Awareness (a
 *   random client id with `{}`, which it would otherwise relay as a phantom participant), so
 *   only the client ids the message itself carries are kept: they are read from the raw frame in
 *   `beforeHandleMessage`, which runs just before, message by message, on the same connection;
 * - each connection may send at most `rate` awareness messages (a caret moving while typing is
 *   well under it); the ones over it are dropped, and the client's periodic re-announcement
 *   (every 15 s) brings the others up to date. Once a connection is over its rate, its next
 *   awareness frames are dropped as they come off the socket (`admitFrame`, called by
 *   server/http-server.ts), before Hocuspocus decodes each into a scratch Y.Doc and Awareness
 *   and runs every extension's hooks on it: a flood of them cost the honest clients' edits
 *   several times their round trip.
 */
import type { beforeHandleAwarenessPayload, beforeHandleMessagePayload, Extension } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import type { Rate } from '../../src/lib/domain/limits.ts';
import { presenceCursor, type PresenceUser, userColour } from '../../src/lib/domain/presence.ts';
import { logLimited } from '../log-limited.ts';
import type { CollabContext } from './context.ts';
import { TokenBuckets } from '../../src/lib/server/token-buckets.ts';

/** Awareness messages per connection: a burst for opening an editor, then ten a second. */
export const PRESENCE_RATE: Rate = { burst: 40, perSecond: 10 };

type Connection = NonNullable<beforeHandleAwarenessPayload['connection']>;

const AWARENESS = 1;

/** The client ids an awareness frame (document name, type 1, update) carries; null if it is not one. */
export function awarenessClients(frame: Uint8Array): Set<number> | null {
	try {
		const d = decoding.createDecoder(frame);
		decoding.readVarString(d);
		if (decoding.readVarUint(d) !== AWARENESS) return null;
		const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
		const ids = new Set<number>();
		for (let n = decoding.readVarUint(inner); n > 0; n--) {
			ids.add(decoding.readVarUint(inner));
			decoding.readVarUint(inner); // clock
			decoding.readVarString(inner); // state
		}
		return ids;
	} catch {
		return new Set();
	}
}

export class PresenceExtension implements Extension {
	extensionName = 'PresenceExtension';
	/** Entries dropped because they spoke for another client id. */
	forgedEntries = 0;
	/** Messages dropped over the rate. */
	throttled = 0;
	private readonly owner = new WeakMap<Connection, number>();
	/** The client ids of the awareness message each connection is handling now. */
	private readonly carried = new WeakMap<Connection, Set<number>>();
	private readonly messages: TokenBuckets;
	/** Per socket, a key for its buckets (one per document on it). */
	private readonly keys = new WeakMap<object, string>();
	private nextKey = 0;

	constructor(rate: Rate = PRESENCE_RATE) {
		this.messages = new TokenBuckets(rate);
	}

	/**
	 * Whether a frame that came off `socket` should reach Hocuspocus at all: false for an
	 * awareness frame of a connection that has no message left in its rate (it would be dropped
	 * in beforeHandleAwareness anyway, after the full decode). Takes nothing: beforeHandleAwareness
	 * does. Two varint reads per frame.
	 */
	admitFrame(socket: object, frame: Uint8Array): boolean {
		let documentName: string;
		try {
			const d = decoding.createDecoder(frame);
			documentName = decoding.readVarString(d);
			if (decoding.readVarUint(d) !== AWARENESS) return true;
		} catch {
			return true; // not ours to judge here
		}
		if (this.messages.has(this.keyOf(socket, documentName), 1)) return true;
		this.throttled++;
		return false;
	}

	async beforeHandleMessage({ connection, update }: beforeHandleMessagePayload): Promise<void> {
		const ids = awarenessClients(update);
		if (ids) this.carried.set(connection as Connection, ids);
	}

	async beforeHandleAwareness({ states, connection, document, documentName }: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
		if (!connection) return; // the server's own
		const context = connection.context as Partial<CollabContext>;
		const user = context.user;
		if (!user) {
			states.clear();
			return;
		}
		if (!this.messages.take(this.keyOf(connection.webSocket, documentName), 1)) {
			this.throttled++;
			logLimited('warn', 'collab.presenceThrottled', { doc: documentName, user: user.username, throttled: this.throttled });
			states.clear();
			return;
		}
		const carried = this.carried.get(connection) ?? new Set<number>();
		this.carried.delete(connection);
		let own = this.owner.get(connection);
		for (const clientId of [...states.keys()]) {
			if (!carried.has(clientId)) {
				states.delete(clientId); // Hocuspocus's scratch state, not the client's
				continue;
			}
			if (own === undefined && this.mayClaim(clientId, connection, document.getConnections(), user.id)) {
				own = clientId;
				this.owner.set(connection, clientId);
			}
			if (clientId !== own) {
				states.delete(clientId);
				this.forgedEntries++;
				logLimited('warn', 'collab.presenceForged', { doc: documentName, user: user.username, clientId, own });
				continue;
			}
			const state = states.get(clientId) ?? {};
			const me: PresenceUser = { id: user.id, name: user.displayName, color: userColour(user.id) };
			if (connection.readOnly) me.readOnly = true;
			const clean: Record<string, unknown> = { user: me };
			const cursor = presenceCursor(state.cursor);
			if (cursor) clean.cursor = cursor;
			states.set(clientId, clean);
		}
	}

	/** Whether no other user's connection on the document speaks for `clientId`. */
	private mayClaim(clientId: number, connection: Connection, others: Connection[], userId: string): boolean {
		for (const other of others) {
			if (other === connection || this.owner.get(other) !== clientId) continue;
			if ((other.context as Partial<CollabContext>).user?.id !== userId) return false;
		}
		return true;
	}

	/** The bucket of one document connection: its socket and document. */
	private keyOf(socket: object, documentName: string): string {
		let key = this.keys.get(socket);
		if (!key) {
			key = `s${this.nextKey++}`;
			this.keys.set(socket, key);
		}
		return `${key}\0${documentName}`;
	}
}
