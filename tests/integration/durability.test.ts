/**
 * An acknowledged edit survives the server being killed: edits are acknowledged only after
 * they are in the update log, so SIGKILL right after the acknowledgements loses none of them.
 * A graceful stop (SIGTERM) exits 0 after writing snapshots.
 */
import { describe, expect, it } from 'vitest';
import { addHousehold, changeColour, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { withDb } from '../helpers/access.ts';
import { gridJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients({ env: { SNAPSHOT_EVERY: '25' } });
const open = f.open;

describe('durability', () => {
	it('keeps every acknowledged edit through SIGKILL and restart', async () => {
		const token = await f.server.login('demo-gridworker');
		const a = open('grid:g1', token);
		const b = open('grid:g1', await f.server.login('demo-admin'));
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const ids = listHouseholds(a.doc).map((h) => h.id);

		// Enough edits to cross a snapshot boundary (SNAPSHOT_EVERY=25), from two clients.
		const added: string[] = [];
		for (let i = 0; i < 40; i++) {
			const x = i % 2 ? a : b;
			updateHousehold(x.doc, ids[i], { phone: `1380000${String(i).padStart(4, '0')}` });
			const by = x === a ? 'u-demo-gridworker' : 'u-demo-admin'; // the server refuses records in another's name
			if (i % 5 === 0) changeColour(x.doc, ids[i], 'red', `第${i}次调整`, by);
			if (i % 10 === 0) added.push(addHousehold(x.doc, { address: `新增${i}`, lng: 120.24, lat: 29.71, head: '新户', size: 1, phone: '', tags: [], colour: 'yellow' }, by));
		}
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const expected = gridJson(a.doc);

		const exit = await f.server.kill('SIGKILL');
		expect(exit.signal).toBe('SIGKILL');
		f.destroyClients();

		await f.server.restart();
		const fresh = open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(fresh);
		await waitFor(() => listHouseholds(fresh.doc).length === 100 + added.length, 'the reloaded grid');
		expect(gridJson(fresh.doc)).toBe(expected);
		expect(readHousehold(fresh.doc, ids[39])!.phone).toBe('13800000039');
		expect(readHousehold(fresh.doc, ids[35])!.colour).toBe('red');
	});

	it('stops gracefully on SIGTERM (exit 0) with a snapshot, and reloads the same state', async () => {
		const c = open('grid:g3', await f.server.login('demo-committee'));
		await waitAcknowledged(c);
		const id = listHouseholds(c.doc)[0].id;
		changeColour(c.doc, id, 'orange', '优雅停机前', 'u-demo-committee');
		await waitAcknowledged(c);
		const expected = gridJson(c.doc);

		const exit = await f.server.kill('SIGTERM');
		expect(exit).toEqual({ code: 0, signal: null });
		await f.server.waitForOutput('server.stopped');
		f.destroyClients();

		withDb(
			f.server,
			(db) => {
				const last = db.prepare("SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = 'grid:g3'").get() as { seq: number };
				const snap = db.prepare("SELECT MAX(seq) AS seq FROM doc_snapshots WHERE doc = 'grid:g3'").get() as { seq: number };
				expect(snap.seq).toBe(last.seq);
			},
			{ readOnly: true }
		);

		await f.server.restart();
		const fresh = open('grid:g3', await f.server.login('demo-committee'));
		await waitAcknowledged(fresh);
		await waitFor(() => gridJson(fresh.doc) === expected, 'the reloaded grid to match');
	});
});
