/**
 * A per-tab registry of open documents of one kind (grids, sessions): each document's row in
 * IndexedDB with its Y.Doc (y-dexie), the local provider (DexieYProvider) and the network
 * provider on the same document, and the sync-state tracking. Both providers start at once;
 * neither waits for the other.
 *
 * Each document is open at most once per tab (one provider per document name on the shared
 * socket), counted by its users. When the last user lets go, a document whose edits are not
 * yet all on the server stays connected in the background until they are; documents left with
 * such edits by an earlier visit can be opened in the background at start.
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { DexieYProvider } from 'y-dexie';
import { openNetworkProvider } from './connection.ts';
import { docsWithPendingEdits, trackDocSync, type DocSync } from './doc-sync.ts';

export interface DocEntry {
	id: string;
	doc: Y.Doc;
	/** Resolves when the document's local copy is in memory. */
	whenLoaded: Promise<void>;
	network: HocuspocusProvider;
	sync: DocSync;
	users: number;
}

/** What the registry needs of a Dexie table whose rows carry a y-dexie Y.Doc. */
export interface DocTable<Row> {
	get(id: string): PromiseLike<Row | undefined>;
	add(row: Omit<Row, 'doc'>): PromiseLike<unknown>;
}

export interface DocRegistryOptions<Row extends { id: string; doc: Y.Doc }, E extends DocEntry> {
	/** The Dexie table whose rows carry the Y.Doc. */
	table: () => DocTable<Row>;
	/** The row written when the device does not hold the document yet (its doc is added by y-dexie). */
	blankRow: (id: string) => Omit<Row, 'doc'>;
	docName: (id: string) => string;
	/** The id of a document name of this kind, or null for other kinds. */
	idOf: (docName: string) => string | null;
	/** Builds the entry from the shared parts: add fields, listen to the providers. */
	extend: (base: DocEntry, row: Row) => E;
	/** Called when the last user lets go; true destroys the entry at once instead of waiting for its edits to be sent. */
	onUnused?: (entry: E) => boolean;
	/** Resolves if the server refuses the entry's edits for good: they will never be sent, so nobody waits for them. */
	whenRefused?: (entry: E) => Promise<void>;
}

export interface Held<E> {
	entry: E;
	/** Lets go of the document (once); the last user's release starts the background keep-alive. */
	release(): void;
}

export interface DocRegistry<E extends DocEntry> {
	acquire(id: string): Promise<Held<E>>;
	/** Opens every document of this kind with this user's pending edits, in the background. */
	syncPendingInBackground(userId: string): Promise<void>;
	/** Opens every document of this kind with this user's pending edits; resolves when all are on the server. */
	syncAllPending(userId: string): Promise<void>;
	/** Disconnects and releases every document this tab holds open; resolves once their sync-state writes are done. */
	closeAll(): Promise<void>;
	/** Disconnects and releases one document if open; resolves once its sync-state writes are done. */
	close(id: string): Promise<void>;
}

export function createDocRegistry<Row extends { id: string; doc: Y.Doc }, E extends DocEntry>(
	options: DocRegistryOptions<Row, E>
): DocRegistry<E> {
	const entries = new Map<string, Promise<E>>();

	async function load(id: string): Promise<E> {
		const table = options.table();
		let row = await table.get(id);
		if (!row) {
			await table.add(options.blankRow(id));
			row = await table.get(id);
			if (!row) throw new Error(`could not create ${options.docName(id)} on this device`);
		}
		const doc = row.doc;
		const name = options.docName(id);
		const local = DexieYProvider.load(doc);
		const network = openNetworkProvider(name, doc);
		const sync = trackDocSync(name, doc, network, local.whenLoaded);
		return options.extend({ id, doc, whenLoaded: local.whenLoaded, network, sync, users: 0 }, row);
	}

	/** Resolves once the entry's last sync-state writes are done (before a wipe or a row's removal). */
	function destroy(entry: E): Promise<void> {
		entries.delete(entry.id);
		const written = entry.sync.stop();
		entry.network.destroy();
		DexieYProvider.release(entry.doc);
		return written;
	}

	function release(entry: E, self: Promise<E>): void {
		entry.users--;
		if (entry.users > 0) return;
		if (options.onUnused?.(entry)) {
			void destroy(entry);
			return;
		}
		void entry.sync.whenClean().then(() => {
			if (entry.users === 0 && entries.get(entry.id) === self) void destroy(entry);
		});
	}

	async function acquire(id: string): Promise<Held<E>> {
		let pending = entries.get(id);
		if (!pending) {
			pending = load(id);
			entries.set(id, pending);
			pending.catch(() => entries.delete(id));
		}
		const self = pending;
		const entry = await self;
		entry.users++;
		let released = false;
		return {
			entry,
			release() {
				if (released) return;
				released = true;
				release(entry, self);
			}
		};
	}

	async function pendingIds(userId: string): Promise<string[]> {
		const ids: string[] = [];
		for (const name of await docsWithPendingEdits(userId)) {
			const id = options.idOf(name);
			if (id !== null) ids.push(id);
		}
		return ids;
	}

	return {
		acquire,
		async syncPendingInBackground(userId) {
			for (const id of await pendingIds(userId)) {
				const held = await acquire(id);
				held.release(); // stays connected until its edits are on the server
			}
		},
		async syncAllPending(userId) {
			const waits: Promise<void>[] = [];
			for (const id of await pendingIds(userId)) {
				const held = await acquire(id);
				const refused = options.whenRefused?.(held.entry);
				waits.push(refused ? Promise.race([held.entry.sync.whenClean(), refused]) : held.entry.sync.whenClean());
				held.release();
			}
			await Promise.all(waits);
		},
		async closeAll() {
			for (const pending of [...entries.values()]) {
				const entry = await pending.catch(() => null);
				if (entry) await destroy(entry);
			}
			entries.clear();
		},
		async close(id) {
			const pending = entries.get(id);
			const entry = pending ? await pending.catch(() => null) : null;
			if (entry) await destroy(entry);
			entries.delete(id);
		}
	};
}
