/**
 * A document's history from its update log (issue 3, attribution): who changed which
 * household field, and when.
 *
 * Every stored update carries the user who sent it. To say what an update changed, the
 * updates are applied one at a time to a Y.Doc and `observeDeep` on the `households` and
 * `meta` roots reports, per update, which keys changed and their old values; the new values
 * are read right after. A household created in an update is reported once (field
 * `household`), not field by field.
 *
 * The work is bounded, and so is the answer (issue 12: junk updates once made one answer
 * 105 MB): a page replays at most `limit` updates (default 200, at most 500), ending before
 * `before` (default: the newest) and at most 512 KB of them (`maxBytes`); everything before them is merged into one base state first
 * (from the latest snapshot when it is old enough, else from the log), which costs one merge,
 * not a replay. A page holds at most `maxChanges` changes (the newest of its window), values
 * longer than a line are cut, and `nextBefore` asks for the next older page. Asking for one
 * household's changes filters them here, not in the browser.
 */
import * as Y from 'yjs';
import { GRID_ROOTS } from '../domain/grid-doc.ts';
import type { AsyncStore } from './async-store.ts';
import type { DocUpdate, Store } from './store.ts';

export const DEFAULT_HISTORY_LIMIT = 200;
export const MAX_HISTORY_LIMIT = 500;
/** Bytes of updates replayed in one page at most (the newest update is replayed whatever its size). */
export const MAX_HISTORY_BYTES = 512 * 1024;
/** Changes in one page at most. */
export const MAX_HISTORY_CHANGES = 500;
/** Characters of a value shown in a change at most (longer ones end with '…'). */
export const MAX_VALUE_CHARS = 200;

export interface FieldChange {
	seq: number;
	/** When the server received the update (ISO). */
	at: string;
	userId: string;
	/** The household, or null for a change of the grid's own metadata. */
	householdId: string | null;
	/** A household field (`colour`, `phone`, …), `household` (added/removed) or `meta.<key>`. */
	field: string;
	from?: unknown;
	to?: unknown;
	/**
	 * The write never showed: a concurrent write of the same field won (Yjs keeps the one of
	 * the higher client). Listed so that every change made appears, including the losing one.
	 */
	lost?: true;
}

/** Values a person can read; nested Yjs types and large boundaries are summarised. */
function plain(field: string, value: unknown): unknown {
	if (value === undefined) return undefined;
	if (value instanceof Y.AbstractType) return '[object]';
	if (field === 'meta.boundary') return value === null ? null : '[boundary]';
	if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
	if (value !== null && typeof value === 'object') {
		const text = JSON.stringify(value) ?? '';
		return text.length > MAX_VALUE_CHARS ? '[object]' : value;
	}
	return value;
}

type KeyChange = { action: 'add' | 'update' | 'delete'; oldValue: unknown };

/** An event's changed keys in key order (Yjs's own order differs between replicas). */
function sortedKeys(event: { changes: { keys: Map<string, unknown> } }): [string, KeyChange][] {
	return [...(event.changes.keys as Map<string, KeyChange>)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The changes made by each of `updates` applied in order on top of `base` (of one household when given). */
export function replayChanges(base: Uint8Array | null, updates: readonly DocUpdate[], householdId?: string): FieldChange[] {
	const doc = new Y.Doc();
	if (base) Y.applyUpdate(doc, base);
	const households = doc.getMap<Y.Map<unknown>>(GRID_ROOTS.households);
	const meta = doc.getMap<unknown>(GRID_ROOTS.meta);
	const changes: FieldChange[] = [];
	let current: DocUpdate | null = null;
	const push = (changed: string | null, field: string, from: unknown, to: unknown) => {
		if (householdId !== undefined && changed !== householdId) return;
		const u = current!;
		const change: FieldChange = { seq: u.seq, at: new Date(u.receivedAt).toISOString(), userId: u.userId, householdId: changed, field };
		const f = plain(field, from);
		const t = plain(field, to);
		if (f !== undefined) change.from = f;
		if (t !== undefined) change.to = t;
		changes.push(change);
	};
	const onHouseholds = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		for (const event of events) {
			if (!(event instanceof Y.YMapEvent)) continue;
			if (event.target === households) {
				for (const [key, change] of sortedKeys(event)) {
					if (change.action === 'add') push(key, 'household', undefined, 'added');
					else if (change.action === 'delete') push(key, 'household', 'present', 'removed');
				}
				continue;
			}
			const householdId = event.path[0];
			if (typeof householdId !== 'string') continue;
			const target = event.target as Y.Map<unknown>;
			for (const [key, change] of sortedKeys(event)) {
				push(householdId, key, change.action === 'add' ? undefined : change.oldValue, change.action === 'delete' ? undefined : target.get(key));
			}
		}
	};
	const onMeta = (event: Y.YMapEvent<unknown>) => {
		for (const [key, change] of sortedKeys(event)) {
			if (key === 'updatedAt') continue;
			const field = `meta.${key}`;
			push(null, field, change.action === 'add' ? undefined : change.oldValue, change.action === 'delete' ? undefined : meta.get(key));
		}
	};
	// A write that loses to a concurrent one is deleted as it arrives and fires no map event:
	// find it among the transaction's new items, deleted, under a household key whose current
	// value came from elsewhere (a key set twice in one update is only superseded, not lost).
	// The server logs a losing write with its content already collected (the sender's update
	// event comes after Yjs's garbage collection), so a lost colour takes its value from the
	// colour event the same update appended.
	const colourEvents = doc.getArray<{ householdId?: string; to?: unknown }>(GRID_ROOTS.colourEvents);
	const onTransaction = (tr: Y.Transaction) => {
		const newItems: Y.Item[] = [];
		for (const [client, after] of tr.afterState) {
			const before = tr.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			const structs = doc.store.clients.get(client) ?? [];
			for (let i = structs.length - 1; i >= 0 && structs[i].id.clock + structs[i].length > before; i--) {
				const item = structs[i];
				if (item instanceof Y.Item) newItems.push(item);
			}
		}
		newItems.reverse();
		const colourTo = new Map<string, unknown>();
		for (const item of newItems) {
			if (item.parent !== colourEvents || item.deleted) continue;
			for (const e of item.content.getContent() as { householdId?: string; to?: unknown }[]) if (e?.householdId) colourTo.set(e.householdId, e.to);
		}
		for (const item of newItems) {
			if (!item.deleted || item.parentSub === null) continue;
			const map = item.parent as Y.AbstractType<unknown>;
			const householdId = map._item?.parentSub;
			if (map._item?.parent !== households || typeof householdId !== 'string') continue;
			const current = (map as Y.Map<unknown>)._map.get(item.parentSub);
			const currentIsNew = current && (tr.beforeState.get(current.id.client) ?? 0) <= current.id.clock && current.id.clock < (tr.afterState.get(current.id.client) ?? 0);
			if (currentIsNew || !current) continue;
			const content = item.content.getContent();
			const value = content.length > 0 ? content[content.length - 1] : item.parentSub === 'colour' ? colourTo.get(householdId) : undefined;
			push(householdId, item.parentSub, undefined, value);
			changes[changes.length - 1].lost = true;
		}
	};
	households.observeDeep(onHouseholds);
	meta.observe(onMeta);
	doc.on('afterTransaction', onTransaction);
	for (const u of updates) {
		current = u;
		Y.applyUpdate(doc, u.update);
	}
	doc.destroy();
	return changes;
}

export interface DocHistory {
	/** Sequence numbers of the first and last update of the page (0 when the log is empty). */
	fromSeq: number;
	toSeq: number;
	/** Whether older changes exist than this page holds (`truncated`: the older name of `more`). */
	truncated: boolean;
	more: boolean;
	/** The `before` that asks for the next older page, or null when this is the oldest. */
	nextBefore: number | null;
	changes: FieldChange[];
}

export interface HistoryPage {
	/** The page ends with the update before this sequence number (default: the newest). */
	before?: number;
	/** Only this household's changes. */
	householdId?: string;
	/** Changes in the page at most (default MAX_HISTORY_CHANGES): the newest are kept. */
	maxChanges?: number;
	/** Update bytes replayed in the page at most (default MAX_HISTORY_BYTES; one update always). */
	maxBytes?: number;
}

/** What a history needs of the store: the update log and its snapshots, read only. */
export type HistoryLog = Pick<Store, 'lastSeq' | 'latestSnapshot' | 'updatesAfter'>;

/** The changes of `limit` updates of `doc` ending before `page.before`, oldest first. */
export function docHistory(store: HistoryLog, doc: string, limit: number = DEFAULT_HISTORY_LIMIT, page: HistoryPage = {}): DocHistory {
	const lastSeq = page.before === undefined ? store.lastSeq(doc) : Math.min(store.lastSeq(doc), page.before - 1);
	let startSeq = Math.max(0, lastSeq - limit);
	const snapshot = store.latestSnapshot(doc);
	const fromSnapshot = snapshot !== null && snapshot.seq <= startSeq;
	const log = store.updatesAfter(doc, fromSnapshot ? snapshot.seq : 0);
	// fewer updates when they are large: replaying them is the work (at least one, however large);
	// a shorter window only moves startSeq up, so the snapshot chosen above still lies before it
	let bytes = 0;
	for (let i = log.length - 1; i >= 0; i--) {
		const u = log[i];
		if (u.seq > lastSeq) continue;
		if (u.seq <= startSeq) break;
		bytes += u.update.length;
		if (bytes > (page.maxBytes ?? MAX_HISTORY_BYTES) && u.seq < lastSeq) {
			startSeq = u.seq;
			break;
		}
	}
	const before = log.filter((u) => u.seq <= startSeq).map((u) => u.update);
	const parts = fromSnapshot ? [snapshot.state, ...before] : before;
	const base = parts.length === 0 ? null : parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
	const window = log.filter((u) => u.seq > startSeq && u.seq <= lastSeq);
	let changes = replayChanges(base, window, page.householdId);
	const maxChanges = page.maxChanges ?? MAX_HISTORY_CHANGES;
	const cut = changes.length > maxChanges;
	if (cut) changes = changes.slice(changes.length - maxChanges);
	// a cut page goes on, next time, before its oldest change's update (the rest of that update is left out)
	const fromSeq = cut ? changes[0].seq : window.length > 0 ? window[0].seq : 0;
	const more = cut || startSeq > 0;
	return { fromSeq, toSeq: lastSeq, truncated: more, more, nextBefore: more ? (cut ? fromSeq : startSeq + 1) : null, changes };
}

/**
 * `docHistory` over the asynchronous store (PostgreSQL, where no worker reads the database):
 * reads what the page needs first, then replays it as `docHistory` does.
 */
export async function docHistoryFromStore(
	store: Pick<AsyncStore, 'lastSeq' | 'latestSnapshot' | 'updatesAfter'>,
	doc: string,
	limit: number = DEFAULT_HISTORY_LIMIT,
	page: HistoryPage = {}
): Promise<DocHistory> {
	const last = await store.lastSeq(doc);
	const lastSeq = page.before === undefined ? last : Math.min(last, page.before - 1);
	const snapshot = await store.latestSnapshot(doc);
	// the same choice docHistory makes, so the updates read are the ones it asks for
	const from = snapshot !== null && snapshot.seq <= Math.max(0, lastSeq - limit) ? snapshot.seq : 0;
	const updates = await store.updatesAfter(doc, from);
	const read: HistoryLog = {
		lastSeq: () => last,
		latestSnapshot: () => snapshot,
		updatesAfter: (_, afterSeq) => updates.filter((u) => u.seq > afterSeq)
	};
	return docHistory(read, doc, limit, page);
}
