/**
 * What the server would load for a document, read straight from its SQLite file while it is
 * down: the latest snapshot plus every logged update after the snapshot's sequence (the same
 * reading as PersistenceExtension.onLoadDocument).
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';

export function storedDoc(dataDir: string, docName: string): Y.Doc {
	const db = new DatabaseSync(join(dataDir, 'tongxin.sqlite'), { readOnly: true });
	try {
		const doc = new Y.Doc();
		const snap = db.prepare('SELECT seq, state FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(docName) as
			| { seq: number; state: Uint8Array }
			| undefined;
		if (snap) Y.applyUpdate(doc, snap.state);
		const tail = db
			.prepare('SELECT update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq')
			.all(docName, snap?.seq ?? 0) as { update_bytes: Uint8Array }[];
		for (const u of tail) Y.applyUpdate(doc, u.update_bytes);
		return doc;
	} finally {
		db.close();
	}
}
