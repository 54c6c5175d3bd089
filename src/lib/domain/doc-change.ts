/**
 * What an update DOES to a document once integrated, read from the Yjs transaction that
 * applied it (the server's rules judge this, never the update's wire shape: issue 12).
 *
 * Why the transaction and not the update: on the wire an item may carry no parent (Yjs takes
 * it from its origin) and a delete set may be stripped or sent later; a map overwrite whose
 * new item names the old value as its origin looks like a plain insert. Once integrated,
 * Yjs has resolved every parent and key, deleted the overwritten value and recorded each
 * changed type and key in `transaction.changed`: that is the truth the rules need.
 *
 * The description is taken in Yjs's `beforeObserverCalls` event: after integration (parents
 * resolved, pending structs released and integrated in the same transaction) but before the
 * deleted content is garbage-collected and structs merged, so the content of inserted and
 * deleted items can still be read.
 *
 * Cost: proportional to the change (new structs and deleted ranges), not to the document.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs types its type tree with YEvent<any> */
import * as Y from 'yjs';

export interface DocChange {
	/** Names of the roots under which anything changed. */
	roots: Set<string>;
	/**
	 * For roots used as maps: the top-level keys under which something changed — a key set,
	 * overwritten or deleted, or anything deeper inside the value under that key.
	 */
	keys: Map<string, Set<string>>;
	/** For roots used as arrays: the top-level elements inserted (their JSON), in order. */
	inserted: Map<string, unknown[]>;
	/** For roots used as arrays: how many top-level elements that existed before were deleted. */
	deleted: Map<string, number>;
	/** Whether any existing content was deleted anywhere (including inside text). */
	anyDeletion: boolean;
}

export const emptyChange = (): DocChange => ({ roots: new Set(), keys: new Map(), inserted: new Map(), deleted: new Map(), anyDeletion: false });

const add = <K, V>(m: Map<K, Set<V>>, k: K, v: V) => {
	let s = m.get(k);
	if (!s) m.set(k, (s = new Set()));
	s.add(v);
};

/** The root above `type` and the item directly under that root (null when `type` is the root). */
function topOf(type: Y.AbstractType<any>): { root: Y.AbstractType<any>; top: Y.Item | null } {
	let top: Y.Item | null = null;
	let t = type;
	while (t._item !== null) {
		top = t._item;
		t = t._item.parent as Y.AbstractType<any>;
	}
	return { root: t, top };
}

/** Records that something changed inside `top` (an item directly under `root`), or in `root` itself at `key`. */
function touch(change: DocChange, root: Y.AbstractType<any>, top: Y.Item | null, key: string | null): void {
	const name = Y.findRootTypeKey(root);
	change.roots.add(name);
	if (top !== null) {
		if (top.parentSub !== null) add(change.keys, name, top.parentSub);
	} else if (key !== null) add(change.keys, name, key);
}

function contentOf(item: Y.Item, from: number): unknown[] {
	const content = item.content.getContent().slice(from);
	return content.map((c) => (c instanceof Y.AbstractType ? c.toJSON() : c));
}

/** Adds what `tr` changed to `change` (call inside 'beforeObserverCalls'). */
export function describeTransaction(tr: Y.Transaction, change: DocChange): void {
	const store = tr.doc.store;
	for (const [type, keys] of tr.changed) {
		const { root, top } = topOf(type);
		if (top === null) {
			const name = Y.findRootTypeKey(root);
			change.roots.add(name);
			for (const k of keys) if (k !== null) add(change.keys, name, k);
		} else touch(change, root, top, null);
	}
	// New items: those whose clock lies between the state before and after the transaction.
	for (const [client, after] of tr.afterState) {
		const before = tr.beforeState.get(client) ?? 0;
		if (after <= before) continue;
		const structs = store.clients.get(client);
		if (!structs) continue;
		for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
			const s = structs[i];
			if (s.id.clock >= after) break;
			if (!(s instanceof Y.Item)) continue;
			const { root, top } = topOf(s.parent as Y.AbstractType<any>);
			// an item created and integrated here changes its parent: counted through `changed`, and
			// for new top-level array elements, their content is what the rules check
			touch(change, root, top ?? null, top === null ? s.parentSub : null);
			if (top === null && s.parentSub === null && !s.deleted && s.countable) {
				const name = Y.findRootTypeKey(root);
				const list = change.inserted.get(name) ?? [];
				list.push(...contentOf(s, Math.max(0, before - s.id.clock)));
				change.inserted.set(name, list);
			}
		}
	}
	// Deleted items that existed before this transaction.
	Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
		if (!(s instanceof Y.Item)) return;
		if (s.id.clock >= (tr.beforeState.get(s.id.client) ?? 0)) return;
		change.anyDeletion = true;
		const parent = s.parent as Y.AbstractType<any>;
		const { root, top } = topOf(parent);
		touch(change, root, top, top === null ? s.parentSub : null);
		if (top === null && s.parentSub === null && s.countable) {
			const name = Y.findRootTypeKey(root);
			change.deleted.set(name, (change.deleted.get(name) ?? 0) + s.length);
		}
	});
}

/**
 * Runs `apply` (which applies updates to `doc`) and returns what it changed. Pending structs
 * left in the store are not part of the change: see `hasPending`.
 */
export function captureChange(doc: Y.Doc, apply: () => void): DocChange {
	const change = emptyChange();
	const listener = (tr: Y.Transaction) => describeTransaction(tr, change);
	doc.on('beforeObserverCalls', listener);
	try {
		apply();
	} finally {
		doc.off('beforeObserverCalls', listener);
	}
	return change;
}

/** Whether Yjs holds back part of what `doc` received (structs after a gap, deletions of unknown items). */
export function hasPending(doc: Y.Doc): boolean {
	return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
