/**
 * Opening and closing grids on this device, through the per-tab document registry
 * (doc-registry.ts): a grid's row in IndexedDB with its Y.Doc, the local and network providers
 * and the sync-state tracking. A grid whose edits are not yet all on the server stays connected
 * in the background after its last user closes it, and grids left with such edits by an
 * earlier visit are opened in the background at start.
 */
import type * as Y from 'yjs';
import { gridDocName, parseDocName, readGridMeta } from '$lib/domain';
import { cachedAccount } from './account.ts';
import { expectedGridAccess } from './expected-access.ts';
import { db, type GridRow } from './db.ts';
import { createDocRegistry, type DocEntry } from './doc-registry.ts';
import { gridRefusals } from './grid-refusal.svelte.ts';

export interface OpenGrid {
	gridId: string;
	doc: Y.Doc;
	/** Resolves when the document's local copy is in memory. */
	whenLoaded: Promise<void>;
	/** Resolves with where the first complete copy in memory came from (see firstCopyFrom). */
	loadedFrom: Promise<LoadedFrom>;
	/** Calls back with whether the server lets this user only read the grid (on each authentication). */
	onReadOnly(callback: (readOnly: boolean) => void): void;
	/** Resolves once the server has confirmed every edit of this device to the grid. */
	whenClean(): Promise<void>;
	close(): void;
}

/** This device's IndexedDB, or the server. */
export type LoadedFrom = 'device' | 'server';

interface Entry extends DocEntry {
	/** The community the grid list named (may be '' until listed; the document's meta knows too). */
	communityId: string;
	loadedFrom: Promise<LoadedFrom>;
	/** The server refused an edit of this device (grid rules): no more attempts, they would all be refused. */
	refused: boolean;
	/** Resolves when it is refused. */
	whenRefused: Promise<void>;
}

/** The close reason of a document connection whose update broke the grid rules (RulesExtension). */
const GRID_RULE_REASON = 'grid-rule';

/**
 * Where the grid's first complete copy in memory came from: the device, if its local copy held
 * anything once loaded and the server had not synced before; otherwise the server, at its first
 * sync (never, offline with nothing on the device). Both providers start at once, so either may
 * come first.
 */
async function firstCopyFrom(base: DocEntry): Promise<LoadedFrom> {
	await base.whenLoaded.catch(() => undefined);
	const { network } = base;
	if (!network.isSynced && base.doc.store.clients.size > 0) return 'device';
	if (!network.isSynced)
		await new Promise<void>((resolve) => {
			const onSynced = () => {
				network.off('synced', onSynced);
				resolve();
			};
			network.on('synced', onSynced);
		});
	return 'server';
}

const grids = createDocRegistry<GridRow, Entry>({
	table: () => db().grids,
	blankRow: (id) => ({ id, name: '', communityId: '' }),
	docName: gridDocName,
	idOf: (name) => {
		const parsed = parseDocName(name);
		return parsed?.kind === 'grid' ? parsed.gridId : null;
	},
	extend: (base, row) => {
		let refused = () => {};
		const whenRefused = new Promise<void>((resolve) => (refused = resolve));
		const entry: Entry = { ...base, communityId: row.communityId, loadedFrom: firstCopyFrom(base), refused: false, whenRefused };
		const network = entry.network;
		network.on('close', ({ event }: { event?: { reason?: string } }) => {
			if (event?.reason !== GRID_RULE_REASON || entry.refused) return;
			// the same update would be sent and refused on every reconnect: stop here, keep the edits
			entry.refused = true;
			network.detach();
			gridRefusals.add({ gridId: entry.id, name: readGridMeta(entry.doc).name || row.name });
			refused();
		});
		return entry;
	},
	// a refused grid would wait for ever for its edits to be sent
	onUnused: (entry) => entry.refused,
	// logging out with "wait for sync" does not wait for edits that will never be accepted
	whenRefused: (entry) => entry.whenRefused
});

/** Whether the cached memberships only let this user read the grid (the server decides later). */
async function expectedReadOnly(entry: Entry): Promise<boolean> {
	const account = await cachedAccount();
	if (!account) return false;
	await entry.whenLoaded.catch(() => undefined);
	const communityId = entry.communityId || readGridMeta(entry.doc).communityId || '';
	return expectedGridAccess(account.user.memberships, entry.id, communityId) !== 'write';
}

export async function openGrid(gridId: string): Promise<OpenGrid> {
	const { entry, release } = await grids.acquire(gridId);
	let closed = false;
	const listeners: ((data: { scope: string }) => void)[] = [];
	const revoked: ((data: { event?: { reason?: string } }) => void)[] = [];
	return {
		gridId,
		doc: entry.doc,
		whenLoaded: entry.whenLoaded,
		loadedFrom: entry.loadedFrom,
		whenClean: () => entry.sync.whenClean(),
		onReadOnly(callback) {
			const listener = ({ scope }: { scope: string }) => callback(scope === 'readonly');
			listeners.push(listener);
			entry.network.on('authenticated', listener);
			// a role taken away closes the connection for good: nothing typed here would be kept
			const onClose = ({ event }: { event?: { reason?: string } }) => {
				if (event?.reason === 'access-revoked') callback(true);
			};
			revoked.push(onClose);
			entry.network.on('close', onClose);
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
			for (const l of revoked) entry.network.off('close', l);
			release();
		}
	};
}

/**
 * Opens, in the background, every grid that still had edits of this user for the server when
 * last seen. Another user's pending grids on a shared device wait for that user's login.
 */
export function syncPendingInBackground(userId: string): Promise<void> {
	return grids.syncPendingInBackground(userId);
}

/** Opens every grid with pending edits of this user and resolves when all are on the server. */
export function syncAllPending(userId: string): Promise<void> {
	return grids.syncAllPending(userId);
}

/** Disconnects and releases every grid this tab holds open (before the device is wiped). */
export function closeAllGrids(): Promise<void> {
	return grids.closeAll();
}

/** Closes one grid if open and removes its local copy and sync state from the device. */
export async function dropGrid(gridId: string): Promise<void> {
	gridRefusals.clear(gridId);
	await grids.close(gridId);
	const database = db();
	await database.grids.delete(gridId);
	// y-dexie keeps a document's updates in its own table and leaves them when the row goes
	await database.table('$grids.doc_updates').where('k').equals(gridId).delete();
	await database.syncState.delete(gridDocName(gridId));
}

/**
 * Throws away this device's copy of a grid the server refused an edit of (every change of it
 * not yet on the server goes with it), so that it opens again as the server has it.
 */
export function discardRefusedGrid(gridId: string): Promise<void> {
	return dropGrid(gridId);
}
