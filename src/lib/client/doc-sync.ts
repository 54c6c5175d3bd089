/**
 * Keeps one document's "edits not yet on the server" count, across reloads.
 *
 * The server has confirmed everything this device holds when the provider is synced, has no
 * unacknowledged update in flight, and the local (IndexedDB) load has finished: then the
 * current state vector is stored as confirmed. Local edits (transactions with no origin, i.e.
 * the domain mutations) record the writing client id, so the count survives a reload. The
 * last count is stored too, so the app knows at start which documents still have edits to
 * send and can sync them in the background.
 */
import * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { db, type SyncStateRow } from './db.ts';
import { unsyncedEdits } from './unsynced.ts';
import { syncStatus } from './sync-status.svelte.ts';
import { activeUserId } from './account.ts';

export interface DocSync {
	/** Edits made on this device that the server has not confirmed (0 until the row is read). */
	readonly pending: number;
	/** Resolves once nothing is pending: at once if that is so already. */
	whenClean(): Promise<void>;
	stop(): void;
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);

export function trackDocSync(docName: string, doc: Y.Doc, provider: HocuspocusProvider, whenLoaded: Promise<void>): DocSync {
	let row: SyncStateRow | undefined;
	let loaded = false;
	let stopped = false;
	let pending = 0;
	let writes = Promise.resolve();
	let waiters: (() => void)[] = [];

	const persist = (next: SyncStateRow) => {
		row = next;
		writes = writes.then(() => db().syncState.put(next).then(() => undefined)).catch((e) => console.error('syncState', e));
	};

	const emptyRow = (): SyncStateRow => ({
		docName,
		confirmedStateVector: EMPTY_STATE_VECTOR,
		confirmedAt: '',
		localClients: [],
		pendingEdits: 0
	});

	const recount = () => {
		if (stopped) return;
		pending = unsyncedEdits(Y.encodeStateVector(doc), row?.confirmedStateVector, row?.localClients ?? []);
		syncStatus.setPending(docName, pending);
		if (loaded && row && row.pendingEdits !== pending) persist({ ...row, pendingEdits: pending });
		if (pending === 0 && loaded) {
			for (const w of waiters) w();
			waiters = [];
		}
	};

	const maybeConfirm = () => {
		if (stopped || !loaded || !provider.isSynced || provider.unsyncedChanges !== 0) return;
		persist({ docName, confirmedStateVector: Y.encodeStateVector(doc), confirmedAt: new Date().toISOString(), localClients: [], pendingEdits: 0 });
		recount();
	};

	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin == null && row?.localClients.includes(doc.clientID) !== true) {
			const base = row ?? emptyRow();
			persist({ ...base, localClients: [...base.localClients, doc.clientID], userId: activeUserId() ?? base.userId });
		}
		recount();
	};

	doc.on('update', onUpdate);
	provider.on('synced', maybeConfirm);
	provider.on('unsyncedChanges', maybeConfirm);

	void db()
		.syncState.get(docName)
		.then(async (stored) => {
			// an edit made before this read finished already wrote a row: merge its client ids
			if (stored && row) row = { ...stored, localClients: [...new Set([...stored.localClients, ...row.localClients])] };
			else row = row ?? stored;
			if (row) persist(row);
			await whenLoaded;
			loaded = true;
			recount();
			maybeConfirm();
		});

	return {
		get pending() {
			return pending;
		},
		whenClean() {
			if (loaded && pending === 0) return Promise.resolve();
			return new Promise<void>((resolve) => waiters.push(resolve));
		},
		stop() {
			stopped = true;
			doc.off('update', onUpdate);
			provider.off('synced', maybeConfirm);
			provider.off('unsyncedChanges', maybeConfirm);
			syncStatus.forget(docName);
			for (const w of waiters) w();
			waiters = [];
		}
	};
}

/**
 * Names of the documents that had edits not yet on the server when last seen; with `userId`,
 * only those whose edits that user made (rows from before users were recorded count as theirs).
 */
export async function docsWithPendingEdits(userId?: string): Promise<string[]> {
	const rows = await db().syncState.toArray();
	return rows
		.filter((r) => (r.pendingEdits ?? 0) > 0 && (userId === undefined || r.userId === undefined || r.userId === userId))
		.map((r) => r.docName);
}

/** Edits not yet on the server per user id, from every document's last count. */
export async function pendingEditsByUser(): Promise<Map<string, number>> {
	const byUser = new Map<string, number>();
	for (const r of await db().syncState.toArray()) {
		if ((r.pendingEdits ?? 0) <= 0) continue;
		const key = r.userId ?? '';
		byUser.set(key, (byUser.get(key) ?? 0) + r.pendingEdits);
	}
	return byUser;
}
