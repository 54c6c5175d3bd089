/**
 * Moving a city from SQLite to PostgreSQL: the demo city plus sessions, a disabled account
 * and a frozen deliberation session, copied into a temporary PostgreSQL database, read back
 * the same through the contract and loading the same Yjs documents; a damaged log stops the
 * copy with the target left empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { seedDemo } from '../demo/seed.ts';
import { compareStores, copyStore } from './copy-store.ts';
import { PgStore } from './pg-store.ts';
import { createTempDatabase, type TempDatabase } from './pg-test-database.ts';
import { SqliteAsyncStore } from './sqlite-async-store.ts';

let dir: string;
let db: TempDatabase;
let source: SqliteAsyncStore;
let target: PgStore;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-copy-'));
	source = SqliteAsyncStore.open(join(dir, 'tongxin.sqlite'));
	await seedDemo(source, { householdsPerGrid: 20, today: new Date('2026-11-23T00:00:00Z') });
	db = await createTempDatabase();
	target = await PgStore.open(db.url, { poolSize: 2 });
});
afterEach(async () => {
	await source.close();
	await target.close();
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

async function load(store: AsyncStore, doc: string): Promise<Uint8Array> {
	const ydoc = new Y.Doc();
	const snapshot = await store.latestSnapshot(doc);
	if (snapshot) Y.applyUpdate(ydoc, snapshot.state);
	for (const u of await store.updatesAfter(doc, snapshot?.seq ?? 0)) Y.applyUpdate(ydoc, u.update);
	return Y.encodeStateAsUpdate(ydoc);
}

describe('copyStore from SQLite to PostgreSQL', () => {
	it('copies everything a user sees: accounts, sessions, places, records, every document', async () => {
		const alice = (await source.userByUsername('demo-committee'))!;
		await source.createSession({ id: 'sess-1', userId: alice.id, expiresAt: 4102444800000, createdAt: 1700000000000 });
		await source.setUserDisabled((await source.userByUsername('demo-police'))!.id, true);
		await source.createRecord({ kind: 'session', id: 'm1', communityId: 'c1', title: '停车位议事会', createdBy: alice.id, createdAt: 1700000000001 });
		await source.freezeRecord('session', 'm1', 'abc123', 1700000000002);
		await source.upsertRecord({ kind: 'dispute', id: 'd1', communityId: 'c2' });
		const edit = new Y.Doc();
		edit.getMap('meta').set('note', '加一条');
		await source.appendUpdate('grid:g1', alice.id, Y.encodeStateAsUpdate(edit), 1700000000003);

		const report = await copyStore(source, target);
		expect(report).toMatchObject({ places: 9, users: 6, records: 2 });
		expect(await compareStores(source, target)).toEqual([]);
		expect(await target.session('sess-1')).toEqual({ id: 'sess-1', userId: alice.id, expiresAt: 4102444800000, createdAt: 1700000000000 });
		expect(await target.userDisabled((await target.userByUsername('demo-police'))!.id)).toBe(true);
		for (const { doc } of await source.listDocs()) {
			expect(Buffer.from(await load(target, doc)).equals(await load(source, doc)), doc).toBe(true);
		}

		// The comparison does see a difference: one more edit on one side.
		await target.appendUpdate('grid:g1', alice.id, Uint8Array.of(0, 0));
		expect((await compareStores(source, target)).join('\n')).toMatch(/counts|grid:g1/);
	});

	it('refuses a target that is not empty', async () => {
		await target.upsertPlace({ id: 'st9', level: 'street', parentId: null, name: '别的街道' });
		await expect(copyStore(source, target)).rejects.toThrow(/not empty/);
	});

	it('stops on a damaged log and leaves the target empty', async () => {
		await source.appendUpdate('grid:g2', 'u', Uint8Array.of(1));
		await source.appendUpdate('grid:g2', 'u', Uint8Array.of(2));
		const raw = new DatabaseSync(join(dir, 'tongxin.sqlite'));
		raw.prepare("DELETE FROM doc_updates WHERE doc = 'grid:g2' AND seq = 2").run();
		raw.close();
		await expect(copyStore(source, target)).rejects.toThrow(/grid:g2: the source log has a gap before seq 3/);
		expect(Object.values(await target.counts()).every((n) => n === 0)).toBe(true);
	});
});
