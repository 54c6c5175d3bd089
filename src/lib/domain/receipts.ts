/**
 * Server receipts: when the server received a record whose races it decides (issue 14: a
 * wish claim was won by a device-asserted time, so a skewed or back-dated clock always won).
 *
 * The grid document's `receipts` root maps a record id (a claim id) to the server's receive
 * time (ISO). Only the server writes it (server/collab/RulesExtension.ts, after it accepted the
 * update that carried the record); the rules refuse any client update touching it. Receipts
 * merge like any other key and every device reads the same order from them.
 */
import type * as Y from 'yjs';
import { GRID_ROOTS } from './grid-doc.ts';

const receiptsMap = (doc: Y.Doc) => doc.getMap<string>(GRID_ROOTS.receipts);

/** Record id → the server's receive time. */
export function readReceipts(doc: Y.Doc): ReadonlyMap<string, string> {
	const out = new Map<string, string>();
	receiptsMap(doc).forEach((at, id) => {
		if (typeof at === 'string') out.set(id, at);
	});
	return out;
}

/** Records the server's receive time of each of `ids` not received before (server only). */
export function writeReceipts(doc: Y.Doc, ids: readonly string[], at: string): void {
	const m = receiptsMap(doc);
	const fresh = ids.filter((id) => !m.has(id));
	if (fresh.length === 0) return;
	doc.transact(() => {
		for (const id of fresh) m.set(id, at);
	});
}
