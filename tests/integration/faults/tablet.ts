/**
 * A tablet for the fault test: one WebSocket carrying a HocuspocusProvider per open document
 * (as the app does), and a ledger of every edit it made and which of them it saw acknowledged.
 *
 * "Acknowledged" is what the device itself can observe: the provider's unsynced-change count
 * reaching 0 while it is synced. At that moment every edit made before it counts as acknowledged.
 * An edit is identified by its client id and the clock just after it (Yjs numbers each client's
 * operations consecutively), so a replica holds the edit exactly when its state vector reaches
 * that clock for that client.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { keepUpdatesOutOfQueue } from '../../../src/lib/client/offline-queue.ts';
import { connectSocket } from '../../../src/lib/client/socket-connect.ts';

export interface Edit {
	tablet: string;
	doc: string;
	op: string;
	client: number;
	/** The client's clock after the edit: a replica holds it iff its state vector reaches this. */
	clock: number;
	acknowledged: boolean;
}

export interface TabletDoc {
	name: string;
	doc: Y.Doc;
	provider: HocuspocusProvider;
	edits: Edit[];
}

export class Tablet {
	readonly name: string;
	readonly socket: HocuspocusProviderWebsocket;
	readonly docs = new Map<string, TabletDoc>();
	/** Times the socket (re)connected after its first connection. */
	reconnects = 0;
	online = true;
	private connectedOnce = false;
	private destroyed = false;

	constructor(name: string, wsUrl: string, token: string, docNames: readonly string[]) {
		this.name = name;
		this.socket = new HocuspocusProviderWebsocket({ url: wsUrl, maxAttempts: 0, delay: 50, minDelay: 50, maxDelay: 500 });
		keepUpdatesOutOfQueue(this.socket); // as the app's socket: offline edits go with the handshake
		this.socket.on('connect', () => {
			if (this.connectedOnce) this.reconnects++;
			this.connectedOnce = true;
		});
		for (const name of docNames) {
			const doc = new Y.Doc();
			const provider = new HocuspocusProvider({ websocketProvider: this.socket, name, document: doc, token: async () => token });
			const entry: TabletDoc = { name, doc, provider, edits: [] };
			// Synchronous with the ack that brought the count to 0: every edit made so far was sent
			// before that ack's message was answered.
			provider.on('unsyncedChanges', ({ number }: { number: number }) => {
				if (number === 0 && provider.isSynced) this.markAcknowledged(entry);
			});
			provider.on('synced', () => {
				if (provider.unsyncedChanges === 0) this.markAcknowledged(entry);
			});
			provider.attach();
			this.docs.set(name, entry);
		}
	}

	/** Runs `mutate` on the document and records the edit if it changed anything. */
	edit(docName: string, op: string, mutate: (doc: Y.Doc) => void): Edit | null {
		const d = this.docs.get(docName)!;
		const before = Y.getState(d.doc.store, d.doc.clientID);
		mutate(d.doc);
		const after = Y.getState(d.doc.store, d.doc.clientID);
		if (after === before) return null;
		const edit: Edit = { tablet: this.name, doc: docName, op, client: d.doc.clientID, clock: after, acknowledged: false };
		d.edits.push(edit);
		return edit;
	}

	goOffline(): void {
		this.online = false;
		this.socket.disconnect();
	}

	goOnline(): void {
		this.online = true;
		// as the app does: the socket closed by goOffline may still be closing
		connectSocket(this.socket, () => this.online && !this.destroyed);
	}

	/** Every document synced and nothing unacknowledged. */
	settled(): boolean {
		return [...this.docs.values()].every((d) => d.provider.isSynced && d.provider.unsyncedChanges === 0);
	}

	/** Its connection and sync state, for failure messages. */
	describe(): string {
		const docs = [...this.docs.values()].map((d) => `${d.name} synced=${d.provider.isSynced} unsynced=${d.provider.unsyncedChanges}`);
		return `${this.name} ${this.socket.status} (${docs.join(', ')})`;
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		for (const d of this.docs.values()) d.provider.destroy();
		this.socket.destroy();
	}

	private markAcknowledged(entry: TabletDoc): void {
		for (let i = entry.edits.length - 1; i >= 0 && !entry.edits[i].acknowledged; i--) entry.edits[i].acknowledged = true;
	}
}

/** Whether `doc` holds `edit` (its state vector reaches the edit's clock for its client). */
export function holds(stateVector: Map<number, number>, edit: Edit): boolean {
	return (stateVector.get(edit.client) ?? 0) >= edit.clock;
}
