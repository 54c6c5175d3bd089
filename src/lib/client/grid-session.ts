/**
 * Opening and closing grids on this device: a grid's row in IndexedDB with its Y.Doc, the
 * local provider (DexieYProvider) and the network provider on the same document, and the
 * sync-state tracking. Both providers start at once; neither waits for the other.
 *
 * Each grid is open at most once per tab (one provider per document name on the shared
 * socket), counted by its users. When the last user closes it, a grid whose edits are not yet
 * all on the server stays connected in the background until they are, and grids left with
 * such edits by an earlier visit are opened in the background at start.
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { DexieYProvider } from 'y-dexie';
import { gridDocName, parseDocName, readGridMeta } from '$lib/domain';
import { cachedAccount } from './account.ts';
import { expectedGridAccess } from './expected-access.ts';
import { db, type GridRow } from './db.ts';
import { openNetworkProvider } from './connection.ts';
import { docsWithPendingEdits, trackDocSync, type DocSync } from './doc-sync.ts';

export interface OpenGrid {
	gridId: string;
	doc: Y.Doc;
	/** Resolves when the document's local copy is in memory. */
	whenLoaded: Promise<void>;
	/** Calls back with whether the server lets this user only read the grid (on each authentication). */
	onReadOnly(callback: (readOnly: boolean) => void): void;
	close(): void;
}

interface Entry {
	gridId: string;
	doc: Y.Doc;
	whenLoaded: Promise<void>;
	network: HocuspocusProvider;
	sync: DocSync;
	users: number;
	/** The community the grid list named (may be '' until listed; the document's meta knows too). */
	communityId: string;
}

const entries = new Map<string, Promise<Entry>>();

/** Whether the cached memberships only let this user read the grid (the server decides later). */
async function expectedReadOnly(entry: Entry): Promise<boolean> {
	const account = await cachedAccount();
	if (!account) return false;
	await entry.whenLoaded.catch(() => undefined);
	const communityId = entry.communityId || readGridMeta(entry.doc).communityId || '';
	return expectedGridAccess(account.user.memberships, entry.gridId, communityId) !== 'write';
}

async function load(gridId: string): Promise<Entry> {
	let row = await db().grids.get(gridId);
	if (!row) {
		await db().grids.add({ id: gridId, name: '', communityId: '' } as GridRow);
		row = await db().grids.get(gridId);
		if (!row) throw new Error(`could not create grid ${gridId} on this device`);
	}
	const doc = row.doc;
	const name = gridDocName(gridId);
	const local = DexieYProvider.load(doc);
	const network = openNetworkProvider(name, doc);
	const sync = trackDocSync(name, doc, network, local.whenLoaded);
	return { gridId, doc, whenLoaded: local.whenLoaded, network, sync, users: 0, communityId: row.communityId };
}

function destroy(entry: Entry): void {
	entries.delete(entry.gridId);
	entry.sync.stop();
	entry.network.destroy();
	DexieYProvider.release(entry.doc);
}

function release(entry: Entry, self: Promise<Entry>): void {
	entry.users--;
	if (entry.users > 0) return;
	void entry.sync.whenClean().then(() => {
		if (entry.users === 0 && entries.get(entry.gridId) === self) destroy(entry);
	});
}

export async function openGrid(gridId: string): Promise<OpenGrid> {
	let pending = entries.get(gridId);
	if (!pending) {
		pending = load(gridId);
		entries.set(gridId, pending);
		pending.catch(() => entries.delete(gridId));
	}
	const self = pending;
	const entry = await self;
	entry.users++;
	let closed = false;
	const listeners: ((data: { scope: string }) => void)[] = [];
	return {
		gridId,
		doc: entry.doc,
		whenLoaded: entry.whenLoaded,
		onReadOnly(callback) {
			const listener = ({ scope }: { scope: string }) => callback(scope === 'readonly');
			listeners.push(listener);
			entry.network.on('authenticated', listener);
			if (entry.network.authorizedScope) listener({ scope: entry.network.authorizedScope });
			else void expectedReadOnly(entry).then((readOnly) => {
				// until the server says (offline, or not yet authenticated): mirror the access matrix
				if (!closed && !entry.network.authorizedScope) callback(readOnly);
			});
		},
		close() {
			if (closed) return;
			closed = true;
			for (const l of listeners) entry.network.off('authenticated', l);
			release(entry, self);
		}
	};
}

/**
 * Opens, in the background, every grid that still had edits of this user for the server when
 * last seen. Another user's pending grids on a shared device wait for that user's login.
 */
export async function syncPendingInBackground(userId: string): Promise<void> {
	for (const name of await docsWithPendingEdits(userId)) {
		const parsed = parseDocName(name);
		if (parsed?.kind !== 'grid') continue;
		const grid = await openGrid(parsed.gridId);
		grid.close(); // stays connected until its edits are on the server
	}
}

/** Opens every grid with pending edits of this user and resolves when all are on the server. */
export async function syncAllPending(userId: string): Promise<void> {
	const waits: Promise<void>[] = [];
	for (const name of await docsWithPendingEdits(userId)) {
		const parsed = parseDocName(name);
		if (parsed?.kind !== 'grid') continue;
		const grid = await openGrid(parsed.gridId);
		const entry = await entries.get(parsed.gridId);
		if (entry) waits.push(entry.sync.whenClean());
		grid.close();
	}
	await Promise.all(waits);
}

/** Disconnects and releases every grid this tab holds open (before the device is wiped). */
export async function closeAllGrids(): Promise<void> {
	for (const pending of [...entries.values()]) {
		const entry = await pending.catch(() => null);
		if (entry) destroy(entry);
	}
	entries.clear();
}

/** Closes one grid if open and removes its local copy and sync state from the device. */
export async function dropGrid(gridId: string): Promise<void> {
	const pending = entries.get(gridId);
	const entry = pending ? await pending.catch(() => null) : null;
	if (entry) destroy(entry);
	entries.delete(gridId);
	const database = db();
	await database.grids.delete(gridId);
	// y-dexie keeps a document's updates in its own table and leaves them when the row goes
	await database.table('$grids.doc_updates').where('k').equals(gridId).delete();
	await database.syncState.delete(gridDocName(gridId));
}
