/**
 * A document as the store holds it (latest snapshot plus the updates after it), for reading on
 * the server without opening it in Hocuspocus. The update log is written before any edit is
 * acknowledged, so this is never behind what a client has been told is saved.
 */
import * as Y from 'yjs';
import type { AsyncStore } from './async-store.ts';

export async function readStoredDoc(store: AsyncStore, name: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const snapshot = await store.latestSnapshot(name);
	const tail = await store.updatesAfter(name, snapshot?.seq ?? 0);
	const parts = [...(snapshot ? [snapshot.state] : []), ...tail.map((u) => u.update)];
	if (parts.length > 0) Y.applyUpdate(doc, parts.length === 1 ? parts[0] : Y.mergeUpdates(parts));
	return doc;
}
