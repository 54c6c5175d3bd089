/**
 * Another process holds the database's write lock (a backup, the admin CLI, an operator's
 * long transaction). node:sqlite is synchronous, so a long busy timeout would freeze every
 * socket and HTTP request while each write waited; the server's is short. What a user sees:
 * - an admin's server-side edit (rename a grid, import a boundary) answers 503 editNotSaved
 *   and changes nothing anywhere, instead of 200 for an edit dropped when the document unloads;
 *   once the lock is gone the same request saves it;
 * - a plain store write answers 503 storageBusy; pages and reads go on;
 * - a device's edit is not acknowledged while it is not in the log, and is as soon as the
 *   lock is gone.
 * The test prints how long requests and edits took meanwhile (figures, no assertions on time).
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { listHouseholds, readGridMeta, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { call } from '../helpers/access.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { storedDoc } from './faults/stored.ts';

let server: TestServer | undefined;
const clients: Client[] = [];

afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.stop();
});

const square = {
	type: 'Polygon',
	coordinates: [
		[
			[120.24, 29.71],
			[120.242, 29.71],
			[120.242, 29.712],
			[120.24, 29.712],
			[120.24, 29.71]
		]
	]
};

/** An operator's connection holding the write lock until `release()`. */
function lockDatabase(s: TestServer): { release(): void } {
	const operator = new DatabaseSync(join(s.dataDir, 'tongxin.sqlite'));
	operator.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
	let held = true;
	return {
		release() {
			if (!held) return;
			held = false;
			operator.exec('ROLLBACK');
			operator.close();
		}
	};
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await fn();
	return { value, ms: performance.now() - start };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('a database locked by another process', () => {
	it('answers an admin edit it cannot log with 503 and changes nothing; the same request saves it once the lock is gone', async () => {
		server = await startServer({ env: { LOG_LEVEL: 'warn' } });
		const s = server;
		const admin = await s.login('demo-admin');
		const watcher = connect(s.wsUrl, 'grid:g1', await s.login('demo-committee'));
		clients.push(watcher);
		await waitAcknowledged(watcher);
		const oldName = readGridMeta(watcher.doc).name;

		const lock = lockDatabase(s);
		try {
			const rename = await call(s, admin, 'PATCH', '/api/admin/places/g1', { name: '锁定时改名' });
			expect([rename.status, rename.body?.error], s.output()).toEqual([503, 'editNotSaved']);
			const boundary = await call(s, admin, 'PUT', '/api/admin/grids/g1/boundary', square);
			expect([boundary.status, boundary.body?.error]).toEqual([503, 'editNotSaved']);
			const created = await call(s, admin, 'POST', '/api/admin/places', { level: 'grid', id: 'g-locked', name: '锁定时新建', parentId: 'c1' });
			expect([created.status, created.body?.error]).toEqual([503, 'editNotSaved']);
			const user = await call(s, admin, 'POST', '/api/admin/users', {
				username: 'locked-user',
				password: 'long-enough-password',
				displayName: '锁定',
				membership: { role: 'liaison', level: 'grid', placeId: 'g1' }
			});
			expect([user.status, user.body?.error]).toEqual([503, 'storageBusy']);
			// Reads go on.
			const places = await call(s, admin, 'GET', '/api/admin/places');
			expect(places.status).toBe(200);
			// Nothing reached the devices or the log.
			expect(readGridMeta(watcher.doc).name).toBe(oldName);
			expect(readGridMeta(watcher.doc).boundary).toEqual(readGridMeta(storedDoc(s.dataDir, 'grid:g1')).boundary);
			expect(readGridMeta(storedDoc(s.dataDir, 'grid:g1')).name).toBe(oldName);
		} finally {
			lock.release();
		}

		const rename = await call(s, admin, 'PATCH', '/api/admin/places/g1', { name: '锁定后改名' });
		expect(rename.status).toBe(200);
		const boundary = await call(s, admin, 'PUT', '/api/admin/grids/g1/boundary', square);
		expect(boundary.status).toBe(200);
		const created = await call(s, admin, 'POST', '/api/admin/places', { level: 'grid', id: 'g-locked', name: '锁定后新建', parentId: 'c1' });
		expect(created.status).toBe(201);
		await waitFor(() => readGridMeta(watcher.doc).name === '锁定后改名' && readGridMeta(watcher.doc).boundary !== null, 'the watcher to see the edits');
		// In the log, so a restart (the document unloaded) keeps them.
		await s.kill('SIGKILL');
		const stored = readGridMeta(storedDoc(s.dataDir, 'grid:g1'));
		expect(stored.name).toBe('锁定后改名');
		expect(stored.boundary).toEqual(square);
		expect(readGridMeta(storedDoc(s.dataDir, 'grid:g-locked')).name).toBe('锁定后新建');
		await s.restart();
		const reader = connect(s.wsUrl, 'grid:g1', await s.login('demo-committee'));
		clients.push(reader);
		await waitAcknowledged(reader, 30_000);
		expect(readGridMeta(reader.doc).name).toBe('锁定后改名');
	});

	it('keeps answering while locked and acknowledges a device edit only once it is logged (figures printed)', async () => {
		const s = server!;
		const writer = connect(s.wsUrl, 'grid:g1', await s.login('demo-gridworker'));
		const peer = connect(s.wsUrl, 'grid:g1', await s.login('demo-committee'));
		clients.push(writer, peer);
		await waitAcknowledged(writer, 30_000);
		await waitAcknowledged(peer, 30_000);
		const id = listHouseholds(writer.doc)[0].id;
		const admin = await s.login('demo-admin');
		const getPlaces = async (n: number) => {
			const times: number[] = [];
			for (let i = 0; i < n; i++) {
				const { value, ms } = await timed(() => call(s, admin, 'GET', '/api/admin/places'));
				expect(value.status).toBe(200);
				times.push(ms);
			}
			return times;
		};
		const unlocked = await getPlaces(10);

		const lock = lockDatabase(s);
		let locked: number[] = [];
		let editAt = 0;
		let released = 0;
		try {
			editAt = performance.now();
			updateHousehold(writer.doc, id, { phone: '13700000001' });
			// The server meets the lock within its short busy timeout and keeps serving meanwhile,
			// for as long as an operator's command might hold it.
			locked = await getPlaces(5);
			await waitFor(() => s.output().includes('collab.appendFailed'), 'the server to report the failed append', 20_000);
			while (performance.now() - editAt < 3_000) locked.push(...(await getPlaces(5)));
			expect(writer.provider.unsyncedChanges, 'acknowledged while the log lacks it').toBeGreaterThan(0);
			expect(readHousehold(storedDoc(s.dataDir, 'grid:g1'), id)?.phone).not.toBe('13700000001');
		} finally {
			lock.release();
			released = performance.now();
		}
		await waitAcknowledged(writer, 30_000);
		const ackAfterRelease = performance.now() - released;
		await waitFor(() => readHousehold(peer.doc, id)?.phone === '13700000001', 'the peer to get the edit');
		expect(readHousehold(storedDoc(s.dataDir, 'grid:g1'), id)?.phone).toBe('13700000001');
		console.log(
			`database lock: GET /api/admin/places median ${median(unlocked).toFixed(1)} ms unlocked, ` +
				`${median(locked).toFixed(1)} ms (max ${Math.max(...locked).toFixed(1)} ms) while locked; ` +
				`an edit made during a ${(released - editAt).toFixed(0)} ms lock acknowledged ${ackAfterRelease.toFixed(0)} ms after its release, ` +
				`the writer's socket closed ${writer.closes.length} times meanwhile`
		);
	});
});
