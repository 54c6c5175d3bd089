/**
 * An acknowledged edit survives the server being killed: edits are acknowledged only after
 * they are in the update log, so SIGKILL right after the acknowledgements loses none of them.
 * A graceful stop (SIGTERM) exits 0 after writing snapshots.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addHousehold, changeColour, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { type Client, connect, gridJson, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const clients: Client[] = [];
const open = (name: string, token: string) => {
	const c = connect(server.wsUrl, name, token);
	clients.push(c);
	return c;
};

beforeAll(async () => {
	server = await startServer({ env: { SNAPSHOT_EVERY: '25' } });
});
afterEach(() => {
	for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
	await server?.stop();
});

describe('durability', () => {
	it('keeps every acknowledged edit through SIGKILL and restart', async () => {
		const token = await server.login('demo-gridworker');
		const a = open('grid:g1', token);
		const b = open('grid:g1', await server.login('demo-admin'));
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const ids = listHouseholds(a.doc).map((h) => h.id);

		// Enough edits to cross a snapshot boundary (SNAPSHOT_EVERY=25), from two clients.
		const added: string[] = [];
		for (let i = 0; i < 40; i++) {
			const x = i % 2 ? a : b;
			updateHousehold(x.doc, ids[i], { phone: `1380000${String(i).padStart(4, '0')}` });
			if (i % 5 === 0) changeColour(x.doc, ids[i], 'red', `第${i}次调整`, 'tester');
			if (i % 10 === 0) added.push(addHousehold(x.doc, { address: `新增${i}`, lng: 120.24, lat: 29.71, head: '新户', size: 1, phone: '', tags: [], colour: 'yellow' }, 'tester'));
		}
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const expected = gridJson(a.doc);

		const exit = await server.kill('SIGKILL');
		expect(exit.signal).toBe('SIGKILL');
		for (const c of clients.splice(0)) c.destroy();

		await server.restart();
		const fresh = open('grid:g1', await server.login('demo-gridworker'));
		await waitAcknowledged(fresh);
		await waitFor(() => listHouseholds(fresh.doc).length === 100 + added.length, 'the reloaded grid');
		expect(gridJson(fresh.doc)).toBe(expected);
		expect(readHousehold(fresh.doc, ids[39])!.phone).toBe('13800000039');
		expect(readHousehold(fresh.doc, ids[35])!.colour).toBe('red');
	});

	it('stops gracefully on SIGTERM (exit 0) with a snapshot, and reloads the same state', async () => {
		const c = open('grid:g3', await server.login('demo-committee'));
		await waitAcknowledged(c);
		const id = listHouseholds(c.doc)[0].id;
		changeColour(c.doc, id, 'orange', '优雅停机前', 'tester');
		await waitAcknowledged(c);
		const expected = gridJson(c.doc);

		const exit = await server.kill('SIGTERM');
		expect(exit).toEqual({ code: 0, signal: null });
		await server.waitForOutput('server.stopped');
		for (const x of clients.splice(0)) x.destroy();

		const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'), { readOnly: true });
		try {
			const last = db.prepare("SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = 'grid:g3'").get() as { seq: number };
			const snap = db.prepare("SELECT MAX(seq) AS seq FROM doc_snapshots WHERE doc = 'grid:g3'").get() as { seq: number };
			expect(snap.seq).toBe(last.seq);
		} finally {
			db.close();
		}

		await server.restart();
		const fresh = open('grid:g3', await server.login('demo-committee'));
		await waitAcknowledged(fresh);
		await waitFor(() => gridJson(fresh.doc) === expected, 'the reloaded grid to match');
	});
});
