/**
 * Keeps one document's "edits not yet on the server" count, across reloads.
 *
 * The server has confirmed everything this device holds when the provider is synced, has no
 * unacknowledged update in flight, and the local (IndexedDB) load has finished: then the
 * current state vector is stored as confirmed. Local edits (transactions with no origin, i.e.
 * the domain mutations) record the writing client id, so the count survives a reload.
 */
import * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { db, type SyncStateRow } from './db.ts';
import { unsyncedEdits } from './unsynced.ts';
import { syncStatus } from './sync-status.svelte.ts';

export function trackDocSync(docName: string, doc: Y.Doc, provider: HocuspocusProvider, whenLoaded: Promise<void>): () => void {
	let row: SyncStateRow | undefined;
	let loaded = false;
	let stopped = false;
	let writes = Promise.resolve();

	const persist = (next: SyncStateRow) => {
		row = next;
		writes = writes.then(() => db().syncState.put(next).then(() => undefined)).catch((e) => console.error('syncState', e));
	};

	const recount = () => {
		if (stopped) return;
		const n = unsyncedEdits(Y.encodeStateVector(doc), row?.confirmedStateVector, row?.localClients ?? []);
		syncStatus.setPending(docName, n);
	};

	const maybeConfirm = () => {
		if (stopped || !loaded || !provider.isSynced || provider.unsyncedChanges !== 0) return;
		persist({ docName, confirmedStateVector: Y.encodeStateVector(doc), confirmedAt: new Date().toISOString(), localClients: [] });
		recount();
	};

	const onUpdate = (_update: Uint8Array, origin: unknown) => {
		if (origin == null && row?.localClients.includes(doc.clientID) !== true) {
			persist({
				docName,
				confirmedStateVector: row?.confirmedStateVector ?? new Uint8Array([0]),
				confirmedAt: row?.confirmedAt ?? '',
				localClients: [...(row?.localClients ?? []), doc.clientID]
			});
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
			row = stored && row ? { ...stored, localClients: [...new Set([...stored.localClients, ...row.localClients])] } : (row ?? stored);
			if (row) persist(row);
			await whenLoaded;
			loaded = true;
			recount();
			maybeConfirm();
		});

	return () => {
		stopped = true;
		doc.off('update', onUpdate);
		provider.off('synced', maybeConfirm);
		provider.off('unsyncedChanges', maybeConfirm);
		syncStatus.forget(docName);
	};
}
