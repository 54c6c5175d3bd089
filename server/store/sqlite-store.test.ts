/**
 * The SQLite Store on a real temporary file: the update log, snapshots, accounts, places.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

let dir: string;
let store: SqliteStore;
const file = () => join(dir, 'tongxin.sqlite');

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-store-'));
	store = new SqliteStore(file());
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('SqliteStore', () => {
	it('is new on first open only', () => {
		expect(store.isNew).toBe(true);
		store.close();
		store = new SqliteStore(file());
		expect(store.isNew).toBe(false);
	});

	it('appends updates with per-document sequences, user and receive time', () => {
		expect(store.lastSeq('grid:g1')).toBe(0);
		expect(store.appendUpdate('grid:g1', 'u1', bytes(1), 1000)).toBe(1);
		expect(store.appendUpdate('grid:g1', 'u2', bytes(2, 2), 2000)).toBe(2);
		expect(store.appendUpdate('grid:g2', 'u1', bytes(3))).toBe(1);
		expect(store.lastSeq('grid:g1')).toBe(2);
		const all = store.updatesAfter('grid:g1', 0);
		expect(all.map((u) => [u.seq, u.userId, u.receivedAt, [...u.update]])).toEqual([
			[1, 'u1', 1000, [1]],
			[2, 'u2', 2000, [2, 2]]
		]);
		expect(store.updatesAfter('grid:g1', 1).map((u) => u.seq)).toEqual([2]);
	});

	it('keeps the latest snapshot and the whole log', () => {
		for (let i = 0; i < 5; i++) store.appendUpdate('grid:g1', 'u', bytes(i));
		expect(store.latestSnapshot('grid:g1')).toBeNull();
		store.writeSnapshot('grid:g1', 3, bytes(9, 9, 9));
		store.writeSnapshot('grid:g1', 5, bytes(8));
		expect(store.latestSnapshot('grid:g1')).toEqual({ seq: 5, state: bytes(8) });
		expect(store.updatesAfter('grid:g1', 0)).toHaveLength(5);
	});

	it('survives reopening: the log is on disk after each append', () => {
		store.appendUpdate('grid:g1', 'u', bytes(7));
		store.close();
		store = new SqliteStore(file());
		expect(store.updatesAfter('grid:g1', 0).map((u) => [...u.update])).toEqual([[7]]);
	});

	it('rolls a failed transaction back', () => {
		expect(() =>
			store.transaction(() => {
				store.appendUpdate('grid:g1', 'u', bytes(1));
				throw new Error('boom');
			})
		).toThrow('boom');
		expect(store.lastSeq('grid:g1')).toBe(0);
	});

	it('keeps users, memberships and sessions', () => {
		store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
		store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '村' });
		store.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
		expect(() => store.createUser({ id: 'u2', username: 'alice', displayName: 'A2', passwordHash: 'h' })).toThrow();
		store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' });
		store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' }); // idempotent
		expect(store.userByUsername('alice')).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
		expect(store.userById('u1')).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice' });
		expect(store.memberships('u1')).toEqual([{ role: 'committee', level: 'community', placeId: 'c1' }]);

		store.createSession({ id: 's1', userId: 'u1', expiresAt: 100 });
		store.createSession({ id: 's2', userId: 'u1', expiresAt: 300 });
		store.updateSessionExpiry('s1', 200);
		expect(store.session('s1')).toMatchObject({ id: 's1', userId: 'u1', expiresAt: 200 });
		expect(store.deleteExpiredSessions(250)).toBe(1);
		store.deleteSession('s2');
		expect(store.session('s2')).toBeNull();
	});

	it('keeps the jurisdiction tree', () => {
		store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
		store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '村' });
		store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '一组' });
		store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '第一组' });
		expect(store.place('g1')).toEqual({ id: 'g1', level: 'grid', parentId: 'c1', name: '第一组' });
		expect(store.places('grid').map((p) => p.id)).toEqual(['g1']);
		expect(store.places()).toHaveLength(3);
		expect(() => store.upsertPlace({ id: 'x', level: 'planet' as never, parentId: null, name: 'x' })).toThrow();
	});

	it('group commit: appends a batch in one transaction and fsyncs the WAL before resolving (FULL, the default)', async () => {
		store.appendUpdate('grid:g1', 'u1', bytes(1));
		const seqs = await store.appendUpdatesDurably([
			{ doc: 'grid:g1', userId: 'u2', update: bytes(2) },
			{ doc: 'grid:g2', userId: 'u2', update: bytes(3) },
			{ doc: 'grid:g1', userId: 'u3', update: bytes(4) }
		]);
		expect(seqs).toEqual([2, 1, 3]);
		expect(store.walSyncs).toBe(1);
		expect(store.updatesAfter('grid:g1', 0).map((u) => [u.seq, u.userId])).toEqual([
			[1, 'u1'],
			[2, 'u2'],
			[3, 'u3']
		]);
		// Statements outside the group commit are back to synchronous=FULL.
		const other = new DatabaseSync(file(), { readOnly: true });
		try {
			expect(Number((other.prepare('SELECT COUNT(*) AS n FROM doc_updates').get() as { n: number }).n)).toBe(4);
		} finally {
			other.close();
		}
	});

	it('group commit with synchronous=NORMAL leaves the fsync to checkpoints', async () => {
		store.close();
		store = new SqliteStore(file(), { synchronous: 'NORMAL' });
		expect(await store.appendUpdatesDurably([{ doc: 'grid:g1', userId: 'u1', update: bytes(1) }])).toEqual([1]);
		expect(store.walSyncs).toBe(0);
	});
});
