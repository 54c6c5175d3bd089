/**
 * The history replay (src/lib/server/history.ts) in a worker thread: applying a page of updates
 * one by one can take the better part of a second, which on the main thread every connected
 * device would wait for (issue 12: three readers of the history slowed everyone down).
 * Reads the SQLite file on its own read-only connection (WAL lets it read beside the writer).
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { type DocHistory, docHistory, type HistoryLog, type HistoryPage } from '../../src/lib/server/history.ts';
import type { DocUpdate } from '../../src/lib/server/store.ts';

export interface HistoryRequest {
	id: number;
	doc: string;
	limit: number;
	page: HistoryPage;
}

export type HistoryReply = { id: number; history: DocHistory } | { id: number; error: string };

const db = new DatabaseSync((workerData as { dbFile: string }).dbFile, { readOnly: true });
db.exec('PRAGMA busy_timeout = 5000');
const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM doc_updates WHERE doc = ?');
const latest = db.prepare('SELECT seq, state FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1');
const after = db.prepare('SELECT seq, user_id, received_at, update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq');

const log: HistoryLog = {
	lastSeq: (doc) => Number((lastSeq.get(doc) as { seq: number }).seq),
	latestSnapshot: (doc) => {
		const r = latest.get(doc) as { seq: number; state: Uint8Array } | undefined;
		return r ? { seq: Number(r.seq), state: r.state } : null;
	},
	updatesAfter: (doc, afterSeq) =>
		(after.all(doc, afterSeq) as { seq: number; user_id: string; received_at: number; update_bytes: Uint8Array }[]).map(
			(r): DocUpdate => ({ seq: Number(r.seq), userId: r.user_id, receivedAt: Number(r.received_at), update: r.update_bytes })
		)
};

parentPort!.on('message', (request: HistoryRequest) => {
	let reply: HistoryReply;
	try {
		reply = { id: request.id, history: docHistory(log, request.doc, request.limit, request.page) };
	} catch (error) {
		reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
	}
	parentPort!.postMessage(reply);
});
