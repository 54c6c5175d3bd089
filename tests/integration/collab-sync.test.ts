/**
 * Real HocuspocusProviders on one grid: concurrent edits converge, offline edits merge on
 * reconnect, and every accepted update is in the log with the user who sent it.
 */
import { describe, expect, it } from 'vitest';
import { addHousehold, changeColour, listHouseholds, readGridMeta, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { withDb } from '../helpers/access.ts';
import { goOffline, gridJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();
const open = f.open;

describe('grid document sync', () => {
	it('loads the seeded grid for a permitted user', async () => {
		const c = open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(c);
		expect(readGridMeta(c.doc).communityId).toBe('c1');
		expect(readGridMeta(c.doc).boundary?.type).toBe('Polygon');
		expect(listHouseholds(c.doc).length).toBe(100);
	});

	it('three clients editing concurrently converge to the same document', async () => {
		const tokens = await Promise.all(['demo-gridworker', 'demo-committee', 'demo-admin'].map((u) => f.server.login(u)));
		const [a, b, c] = tokens.map((t) => open('grid:g1', t));
		await Promise.all([a, b, c].map((x) => waitAcknowledged(x)));
		const target = listHouseholds(a.doc)[0].id;

		// Each client: one new household, an edit of a shared household's different fields,
		// a competing edit of the same field, and colour changes.
		const added: string[] = [];
		// each record in the name of its client's user (the server refuses any other)
		const users = ['u-demo-gridworker', 'u-demo-committee', 'u-demo-admin'];
		[a, b, c].forEach((x, i) => {
			added.push(
				addHousehold(x.doc, { address: `测试地址${i}`, lng: 120.24, lat: 29.71, head: `测试${i}`, size: i + 1, phone: '', tags: [], colour: 'green' }, users[i])
			);
		});
		updateHousehold(a.doc, target, { phone: '13800000001' });
		updateHousehold(b.doc, target, { size: 5 });
		updateHousehold(c.doc, target, { head: '丙' });
		updateHousehold(a.doc, target, { address: '甲地址' });
		updateHousehold(b.doc, target, { address: '乙地址' });
		changeColour(c.doc, target, 'red', '新发纠纷', users[2]);
		changeColour(a.doc, target, 'orange', '独居老人', users[0]);
		for (let i = 0; i < 20; i++) updateHousehold([a, b, c][i % 3].doc, target, { size: (i % 6) + 1 });

		await Promise.all([a, b, c].map((x) => waitAcknowledged(x)));
		await waitFor(() => gridJson(a.doc) === gridJson(b.doc) && gridJson(b.doc) === gridJson(c.doc), 'convergence');
		for (const id of added) expect(listHouseholds(a.doc).some((h) => h.id === id)).toBe(true);

		// A fresh client loads the same state from the server.
		const fresh = open('grid:g1', tokens[0]);
		await waitAcknowledged(fresh);
		await waitFor(() => gridJson(fresh.doc) === gridJson(a.doc), 'a fresh client to load the converged state');
	});

	it("a client's offline edits merge on reconnect", async () => {
		const [ta, tb] = await Promise.all([f.server.login('demo-gridworker'), f.server.login('demo-committee')]);
		const a = open('grid:g1', ta);
		const b = open('grid:g1', tb);
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const [h1, h2] = listHouseholds(a.doc).map((h) => h.id);

		await goOffline(a);
		const offline = addHousehold(a.doc, { address: '离线新增', lng: 120.24, lat: 29.71, head: '离线', size: 2, phone: '', tags: ['elderly'], colour: 'yellow' }, 'u-demo-gridworker');
		updateHousehold(a.doc, h1, { phone: '13900000000' });
		changeColour(a.doc, h2, 'orange', '离线走访发现困难', 'u-demo-gridworker');
		updateHousehold(b.doc, h1, { size: 6 }); // online meanwhile, other field of the same household
		await waitAcknowledged(b);
		expect(listHouseholds(b.doc).some((h) => h.id === offline)).toBe(false);

		await a.socket.connect();
		await waitAcknowledged(a);
		await waitFor(() => gridJson(a.doc) === gridJson(b.doc), 'offline edits to merge');
		const merged = listHouseholds(b.doc).find((h) => h.id === h1)!;
		expect(merged.phone).toBe('13900000000');
		expect(merged.size).toBe(6);
		expect(listHouseholds(b.doc).find((h) => h.id === h2)!.colour).toBe('orange');
	});

	it('stores every accepted update with the user who sent it', async () => {
		const c = open('grid:g2', await f.server.login('demo-liaison'));
		await waitAcknowledged(c);
		const id = listHouseholds(c.doc)[0].id;
		changeColour(c.doc, id, 'red', '测试', 'u-demo-liaison');
		await waitAcknowledged(c);
		withDb(f.server, (db) => {
			const rows = db.prepare("SELECT user_id FROM doc_updates WHERE doc = 'grid:g2' ORDER BY seq").all() as { user_id: string }[];
			expect(rows[0].user_id).toBe('system');
			expect(rows.at(-1)!.user_id).toBe('u-demo-liaison');
		}, { readOnly: true });
	});

	it('unloads a document when its last client leaves, after snapshotting it', async () => {
		const c = open('grid:g5', await f.server.login('demo-admin'));
		await waitAcknowledged(c);
		changeColour(c.doc, listHouseholds(c.doc)[0].id, 'yellow', '测试卸载', 'u-demo-admin');
		await waitAcknowledged(c);
		await f.server.waitForOutput('collab.docLoaded doc=grid:g5');
		c.destroy();
		await f.server.waitForOutput('collab.docUnloaded doc=grid:g5');
		withDb(f.server, (db) => {
			const log = db.prepare("SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = 'grid:g5'").get() as { seq: number };
			const snap = db.prepare("SELECT MAX(seq) AS seq FROM doc_snapshots WHERE doc = 'grid:g5'").get() as { seq: number };
			expect(log.seq).toBe(2);
			expect(snap.seq).toBe(2);
		}, { readOnly: true });
	});
});
