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
 * The work is bounded: only the last `limit` updates (default 500) are replayed one by one;
 * everything before them is merged into one base state first (from the latest snapshot when
 * it is old enough, else from the log), which costs one merge, not a replay.
 */
import * as Y from 'yjs';
import { GRID_ROOTS } from '../domain/grid-doc.ts';
import type { DocUpdate, Store } from './store.ts';

export const DEFAULT_HISTORY_LIMIT = 500;
export const MAX_HISTORY_LIMIT = 2000;

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
	return value;
}

type KeyChange = { action: 'add' | 'update' | 'delete'; oldValue: unknown };

/** An event's changed keys in key order (Yjs's own order differs between replicas). */
function sortedKeys(event: { changes: { keys: Map<string, unknown> } }): [string, KeyChange][] {
	return [...(event.changes.keys as Map<string, KeyChange>)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The changes made by each of `updates` applied in order on top of `base`. */
export function replayChanges(base: Uint8Array | null, updates: readonly DocUpdate[]): FieldChange[] {
	const doc = new Y.Doc();
	if (base) Y.applyUpdate(doc, base);
	const households = doc.getMap<Y.Map<unknown>>(GRID_ROOTS.households);
	const meta = doc.getMap<unknown>(GRID_ROOTS.meta);
	const changes: FieldChange[] = [];
	let current: DocUpdate | null = null;
	const push = (householdId: string | null, field: string, from: unknown, to: unknown) => {
		const u = current!;
		const change: FieldChange = { seq: u.seq, at: new Date(u.receivedAt).toISOString(), userId: u.userId, householdId, field };
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
	/** Sequence numbers of the first and last update replayed (0 when the log is empty). */
	fromSeq: number;
	toSeq: number;
	/** Whether older updates exist that were merged into the base, not replayed. */
	truncated: boolean;
	changes: FieldChange[];
}

/** The changes of the last `limit` updates of `doc`, oldest first. */
export function docHistory(store: Store, doc: string, limit: number = DEFAULT_HISTORY_LIMIT): DocHistory {
	const lastSeq = store.lastSeq(doc);
	const startSeq = Math.max(0, lastSeq - limit);
	const snapshot = store.latestSnapshot(doc);
	const fromSnapshot = snapshot !== null && snapshot.seq <= startSeq;
	const log = store.updatesAfter(doc, fromSnapshot ? snapshot.seq : 0);
	const before = log.filter((u) => u.seq <= startSeq).map((u) => u.update);
	const parts = fromSnapshot ? [snapshot.state, ...before] : before;
	const base = parts.length === 0 ? null : parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
	const window = log.filter((u) => u.seq > startSeq);
	return {
		fromSeq: window.length > 0 ? window[0].seq : 0,
		toSeq: lastSeq,
		truncated: startSeq > 0,
		changes: replayChanges(base, window)
	};
}
