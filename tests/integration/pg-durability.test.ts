/**
 * The server on PostgreSQL (DATABASE_URL), whatever TEST_STORE says: a new database of its
 * own, seeded with the demo data through the asynchronous store. Two tablets edit a grid,
 * the server is killed (SIGKILL) right after their acknowledgements and started again on the
 * same database: nothing acknowledged is lost, a fresh tablet sees all of it, and the log in
 * PostgreSQL names who wrote each edit.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { addHousehold, changeColour, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { gridJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients({ store: 'pg', env: { SNAPSHOT_EVERY: '25' } });
const open = f.open;

async function query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
	const client = new pg.Client({ connectionString: f.server.databaseUrl! });
	await client.connect();
	try {
		return (await client.query(sql, values)).rows as T[];
	} finally {
		await client.end();
	}
}

describe('the server on PostgreSQL', () => {
	it('keeps every acknowledged edit of two tablets through SIGKILL and restart', async () => {
		expect(f.server.output()).toMatch(/store\.opened .*kind=pg/);
		const a = open('grid:g1', await f.server.login('demo-gridworker'));
		const b = open('grid:g1', await f.server.login('demo-admin'));
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const ids = listHouseholds(a.doc).map((h) => h.id);
		expect(ids).toHaveLength(100);

		// Enough edits to cross snapshot boundaries (SNAPSHOT_EVERY=25), from both tablets at once.
		const added: string[] = [];
		for (let i = 0; i < 60; i++) {
			const x = i % 2 ? a : b;
			const by = x === a ? 'u-demo-gridworker' : 'u-demo-admin';
			updateHousehold(x.doc, ids[i], { phone: `1390000${String(i).padStart(4, '0')}` });
			if (i % 5 === 0) changeColour(x.doc, ids[i], 'red', `第${i}次调整`, by);
			if (i % 10 === 0) added.push(addHousehold(x.doc, { address: `新增${i}`, lng: 120.24, lat: 29.71, head: '新户', size: 1, phone: '', tags: [], colour: 'yellow' }, by));
		}
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const expected = gridJson(a.doc);
		expect(gridJson(b.doc)).toBe(expected);

		const exit = await f.server.kill('SIGKILL');
		expect(exit.signal).toBe('SIGKILL');
		f.destroyClients();

		// The log in PostgreSQL: both tablets' edits, under their users, in one gap-free sequence.
		const writers = await query<{ user_id: string; n: number }>(
			"SELECT user_id, COUNT(*)::int AS n FROM doc_updates WHERE doc = 'grid:g1' GROUP BY user_id ORDER BY user_id"
		);
		expect(writers.map((w) => w.user_id)).toEqual(['system', 'u-demo-admin', 'u-demo-gridworker']);
		const [head] = await query<{ rows: number; last: number }>(
			"SELECT COUNT(*)::int AS rows, MAX(seq)::int AS last FROM doc_updates WHERE doc = 'grid:g1'"
		);
		expect(head.rows).toBe(head.last);

		await f.server.restart();
		expect(f.server.output()).not.toMatch(/demo\.seeded/); // the same database, not a new one
		const fresh = open('grid:g1', await f.server.login('demo-committee'));
		await waitAcknowledged(fresh);
		await waitFor(() => listHouseholds(fresh.doc).length === 100 + added.length, 'the reloaded grid');
		expect(gridJson(fresh.doc)).toBe(expected);
		expect(readHousehold(fresh.doc, ids[59])!.phone).toBe('13900000059');
		expect(readHousehold(fresh.doc, ids[55])!.colour).toBe('red');
	});

	it("answers a grid's history from PostgreSQL, naming who changed what", async () => {
		const token = await f.server.login('demo-committee');
		const c = open('grid:g3', token);
		await waitAcknowledged(c);
		const id = listHouseholds(c.doc)[0].id;
		updateHousehold(c.doc, id, { phone: '13912345678' });
		await waitAcknowledged(c);
		const res = await fetch(`${f.server.url}/api/docs/grid:g3/history?household=${id}`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { changes: { field: string; to?: unknown; user: string }[] };
		expect(body.changes[0]).toMatchObject({ field: 'phone', to: '13912345678' });
		expect(body.changes[0].user).not.toBe('u-demo-committee'); // a name, not an id
	});
});
