import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../../server/store/sqlite-store.ts';
import { addHousehold, changeColour, setGridMeta, updateHousehold } from '../domain/grid-doc.ts';
import { docHistory, replayChanges } from './history.ts';
import type { DocUpdate } from './store.ts';

/** Records each transaction on `doc` as one update by `userId`, like the server's log. */
function recorder(doc: Y.Doc) {
	const updates: DocUpdate[] = [];
	let userId = 'system';
	doc.on('update', (update: Uint8Array) => updates.push({ seq: updates.length + 1, userId, receivedAt: 1_700_000_000_000 + updates.length, update }));
	return { updates, as: (id: string) => (userId = id) };
}

const household = { address: '枫源村1号', head: '王伟', size: 3, phone: '13700000000', tags: [], lng: 120.24, lat: 29.71, colour: 'green' as const };

describe('replayChanges', () => {
	it('lists a write that lost to a concurrent one, marked lost, after the winner', () => {
		const base = new Y.Doc();
		addHousehold(base, household, 'u-a', '2026-11-01T00:00:00Z', 'h1');
		const start = Y.encodeStateAsUpdate(base);
		const a = new Y.Doc();
		const b = new Y.Doc();
		a.clientID = 1; // the lower client loses a concurrent map write (Yjs)
		b.clientID = 2;
		Y.applyUpdate(a, start);
		Y.applyUpdate(b, start);
		const offline: Uint8Array[] = [];
		a.on('update', (u: Uint8Array) => offline.push(u));
		const online: Uint8Array[] = [];
		b.on('update', (u: Uint8Array) => online.push(u));
		changeColour(a, 'h1', 'red', '摔伤', 'u-a');
		updateHousehold(a, 'h1', { phone: '111' });
		updateHousehold(a, 'h1', { phone: '222' }); // superseded on the same device: not lost
		changeColour(b, 'h1', 'yellow', '好转', 'u-b');
		// as the server logs them: each update as its own document emits it on applying
		const server = new Y.Doc();
		const log: DocUpdate[] = [];
		let sender = 'system';
		server.on('update', (update: Uint8Array) => log.push({ seq: log.length + 1, userId: sender, receivedAt: log.length, update }));
		Y.applyUpdate(server, start);
		sender = 'u-b';
		Y.applyUpdate(server, Y.mergeUpdates(online));
		sender = 'u-a';
		Y.applyUpdate(server, Y.mergeUpdates(offline));
		const changes = replayChanges(null, log).filter((c) => c.householdId === 'h1' && c.field !== 'household');
		expect(changes.map(({ userId, field, to, lost }) => ({ userId, field, to, lost }))).toEqual([
			{ userId: 'u-b', field: 'colour', to: 'yellow', lost: undefined },
			// one update: what it changed first, then what it wrote that did not show
			{ userId: 'u-a', field: 'phone', to: '222', lost: undefined },
			{ userId: 'u-a', field: 'colour', to: 'red', lost: true }
		]);
	});

	it('reports field and colour changes per update, with who, old and new values', () => {
		const doc = new Y.Doc();
		const log = recorder(doc);
		setGridMeta(doc, { name: '一组', communityId: 'c1' });
		const id = addHousehold(doc, household, 'u-a', '2026-11-01T00:00:00Z', 'h1');
		log.as('u-b');
		updateHousehold(doc, id, { phone: '13811112222', size: 4 });
		log.as('u-c');
		changeColour(doc, id, 'orange', '独居老人', 'u-c');

		const changes = replayChanges(null, log.updates);
		const view = changes.map(({ userId, householdId, field, from, to }) => ({ userId, householdId, field, from, to }));
		expect(view).toEqual([
			{ userId: 'system', householdId: null, field: 'meta.communityId', from: undefined, to: 'c1' },
			{ userId: 'system', householdId: null, field: 'meta.name', from: undefined, to: '一组' },
			{ userId: 'system', householdId: 'h1', field: 'household', from: undefined, to: 'added' },
			{ userId: 'u-b', householdId: 'h1', field: 'phone', from: '13700000000', to: '13811112222' },
			{ userId: 'u-b', householdId: 'h1', field: 'size', from: 3, to: 4 },
			{ userId: 'u-c', householdId: 'h1', field: 'colour', from: 'green', to: 'orange' }
		]);
		expect(changes[5].at).toBe(new Date(1_700_000_000_000 + 3).toISOString());
		expect(changes[5].seq).toBe(4);
	});
});

describe('docHistory', () => {
	it('replays only the last `limit` updates on top of a base built from the rest', () => {
		const store = new SqliteStore(':memory:');
		const doc = new Y.Doc();
		const id = addHousehold(doc, household, 'u-a', undefined, 'h1');
		store.appendUpdate('grid:g1', 'u-a', Y.encodeStateAsUpdate(doc));
		doc.on('update', (u: Uint8Array) => store.appendUpdate('grid:g1', 'u-b', u));
		for (let i = 0; i < 10; i++) {
			updateHousehold(doc, id, { size: i + 10 });
			if (i === 1) store.writeSnapshot('grid:g1', 3, Y.encodeStateAsUpdate(doc)); // older than the window
		}

		const h = docHistory(store, 'grid:g1', 4);
		expect(h).toMatchObject({ fromSeq: 8, toSeq: 11, truncated: true });
		expect(h.changes.map((c) => [c.field, c.from, c.to])).toEqual([
			['size', 15, 16],
			['size', 16, 17],
			['size', 17, 18],
			['size', 18, 19]
		]);
		expect(docHistory(store, 'grid:g1').changes).toHaveLength(11);
		expect(docHistory(store, 'grid:none')).toEqual({ fromSeq: 0, toSeq: 0, truncated: false, more: false, nextBefore: null, changes: [] });
		store.close();
	});

	it('pages back through the log with nextBefore until the oldest page, each change once', () => {
		const store = new SqliteStore(':memory:');
		const doc = new Y.Doc();
		const id = addHousehold(doc, household, 'u-a', undefined, 'h1');
		store.appendUpdate('grid:g1', 'u-a', Y.encodeStateAsUpdate(doc));
		doc.on('update', (u: Uint8Array) => store.appendUpdate('grid:g1', 'u-b', u));
		for (let i = 0; i < 10; i++) updateHousehold(doc, id, { size: i + 10 });

		const seen: number[] = [];
		let before: number | undefined;
		let pages = 0;
		for (;;) {
			const h = docHistory(store, 'grid:g1', 4, { before });
			pages++;
			seen.unshift(...h.changes.map((c) => c.seq));
			if (!h.more) break;
			expect(h.nextBefore).toBe(h.fromSeq);
			before = h.nextBefore!;
		}
		expect(pages).toBe(3);
		expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
		store.close();
	});

	it('replays fewer updates when they are large, and pages on to the rest', () => {
		const store = new SqliteStore(':memory:');
		const doc = new Y.Doc();
		const id = addHousehold(doc, household, 'u-a', undefined, 'h1');
		store.appendUpdate('grid:g1', 'u-a', Y.encodeStateAsUpdate(doc));
		doc.on('update', (u: Uint8Array) => store.appendUpdate('grid:g1', 'u-b', u));
		for (let i = 0; i < 6; i++) doc.getMap<Y.Map<unknown>>('households').get(id)!.set('note', String(i).repeat(1000));
		const h = docHistory(store, 'grid:g1', 100, { maxBytes: 2500 });
		expect(h.changes.map((c) => c.seq)).toEqual([6, 7]);
		expect(h).toMatchObject({ more: true, nextBefore: 6 });
		expect(docHistory(store, 'grid:g1', 100, { maxBytes: 10 }).changes.map((c) => c.seq)).toEqual([7]); // one, however large
		store.close();
	});

	it('bounds a page of junk: one household only, at most maxChanges changes, long values cut', () => {
		const store = new SqliteStore(':memory:');
		const doc = new Y.Doc();
		const id = addHousehold(doc, household, 'u-a', undefined, 'h1');
		addHousehold(doc, household, 'u-a', undefined, 'h2');
		store.appendUpdate('grid:g1', 'u-a', Y.encodeStateAsUpdate(doc));
		doc.on('update', (u: Uint8Array) => store.appendUpdate('grid:g1', 'u-x', u));
		doc.transact(() => {
			const m = doc.getMap<Y.Map<unknown>>('households').get(id)!;
			for (let i = 0; i < 5_000; i++) m.set(`junk${i}`, i);
		});
		doc.getMap<Y.Map<unknown>>('households').get(id)!.set('head', 'x'.repeat(1_000_000)); // as a hostile client would
		updateHousehold(doc, 'h2', { size: 9 });

		const h = docHistory(store, 'grid:g1', 10, { householdId: 'h1', maxChanges: 100, maxBytes: 4 * 1024 * 1024 });
		expect(h.changes).toHaveLength(100);
		expect(h.changes.every((c) => c.householdId === 'h1')).toBe(true);
		expect(h).toMatchObject({ more: true, nextBefore: 2 }); // the rest of the junk update is left out
		const head = h.changes.find((c) => c.field === 'head')!;
		expect(String(head.to).length).toBeLessThanOrEqual(201);
		expect(JSON.stringify(h).length).toBeLessThan(100_000);
		store.close();
	});
});
