/**
 * A simulated network of clients, each with its own Y.Doc, in the manner of Yjs's
 * tests/testHelper.js.
 *
 * Every local update a client makes is put in the inbox of every other client. The network
 * then delivers messages in random order — any pending message of any online client, not
 * first-in first-out — so updates routinely arrive before the ones they depend on, which Yjs
 * must hold back and apply later. A disconnected client neither sends nor receives: its own
 * updates wait in its outbox and messages to it wait in its inbox, and both are released when
 * it reconnects. On reconnect the client also runs the sync handshake with every online peer
 * (state vector out, missing updates back), as the providers do.
 */
import * as Y from 'yjs';
import type { Rng } from './rng.ts';

export interface Message {
	from: number;
	update: Uint8Array;
}

export interface SimulatedClient {
	index: number;
	doc: Y.Doc;
	online: boolean;
	inbox: Message[];
	outbox: Uint8Array[];
}

export interface NetworkStats {
	delivered: number;
	disconnects: number;
	reconnects: number;
	handshakes: number;
}

/** The origin of updates applied from the network, so they are not re-broadcast. */
const NETWORK = Symbol('network');

export class SimulatedNetwork {
	readonly clients: SimulatedClient[] = [];
	/** Every update any client produced, in the order they were made: the input of mergeUpdates. */
	readonly allUpdates: Uint8Array[] = [];
	readonly stats: NetworkStats = { delivered: 0, disconnects: 0, reconnects: 0, handshakes: 0 };
	readonly #rng: Rng;

	constructor(rng: Rng, clientCount: number) {
		this.#rng = rng;
		const usedIds = new Set<number>();
		for (let index = 0; index < clientCount; index++) {
			const doc = new Y.Doc();
			// Seeded client ids: conflict resolution depends on them, so a seed must fix them.
			let id = rng.uint32();
			while (usedIds.has(id)) id = rng.uint32();
			usedIds.add(id);
			doc.clientID = id;
			const client: SimulatedClient = { index, doc, online: true, inbox: [], outbox: [] };
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === NETWORK) return;
				this.allUpdates.push(update);
				if (client.online) this.#broadcast(client, update);
				else client.outbox.push(update);
			});
			this.clients.push(client);
		}
	}

	#broadcast(from: SimulatedClient, update: Uint8Array): void {
		for (const c of this.clients) if (c !== from) c.inbox.push({ from: from.index, update });
	}

	pending(): number {
		return this.clients.reduce((n, c) => n + (c.online ? c.inbox.length : 0), 0);
	}

	/** Delivers one random pending message to a random online client; false when none is pending. */
	deliverRandom(): boolean {
		const ready = this.clients.filter((c) => c.online && c.inbox.length > 0);
		if (ready.length === 0) return false;
		const client = this.#rng.pick(ready);
		const [message] = client.inbox.splice(this.#rng.int(0, client.inbox.length - 1), 1);
		Y.applyUpdate(client.doc, message.update, NETWORK);
		this.stats.delivered++;
		return true;
	}

	disconnect(client: SimulatedClient): void {
		if (!client.online) return;
		client.online = false;
		this.stats.disconnects++;
	}

	/** Brings a client back: its held updates go out, and it syncs with every online peer. */
	reconnect(client: SimulatedClient): void {
		if (client.online) return;
		client.online = true;
		this.stats.reconnects++;
		for (const update of client.outbox.splice(0)) this.#broadcast(client, update);
		for (const peer of this.clients) {
			if (peer === client || !peer.online) continue;
			// Sync step 1 both ways: each side sends what the other's state vector lacks.
			const toPeer = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(peer.doc));
			const toClient = Y.encodeStateAsUpdate(peer.doc, Y.encodeStateVector(client.doc));
			peer.inbox.push({ from: client.index, update: toPeer });
			client.inbox.push({ from: peer.index, update: toClient });
			this.stats.handshakes++;
		}
	}

	/** Everyone online, every message delivered (in random order). */
	flush(): void {
		for (const c of this.clients) this.reconnect(c);
		while (this.deliverRandom());
	}

	destroy(): void {
		for (const c of this.clients) c.doc.destroy();
	}
}
