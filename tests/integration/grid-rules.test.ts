/**
 * The server judges grid documents (issue 12): each attack a liaison member of grid g2 made
 * with raw Yjs updates is refused, logged, and leaves the stored document as it was; the
 * named mutations of each role still go through; wish claims are won by the server's receive
 * time, not by a device clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changeColour, GRID_ROOTS, listHouseholds, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { assignLiaison } from '../../src/lib/domain/liaisons.ts';
import { leaderboard } from '../../src/lib/domain/points.ts';
import { readReceipts } from '../../src/lib/domain/receipts.ts';
import { recordVisit } from '../../src/lib/domain/visits.ts';
import { claimWish, completeWish, dispatchWish, listWishes, postWish, readWish } from '../../src/lib/domain/wishes.ts';
import { withDb } from '../helpers/access.ts';
import { attacker, refusalLogged, snapshotOf } from '../helpers/attack.ts';
import { gridJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();
const DOC = 'grid:g2';
const LIAISON = 'u-demo-liaison';
const WORKER = 'u-demo-gridworker';
const COMMITTEE = 'u-demo-committee';

let adminToken = '';
beforeAll(async () => {
	// a grid worker of g2 too, the honest claimant against the liaison member
	withDb(f.server, (db) => db.prepare("INSERT INTO memberships (user_id, role, level, place_id) VALUES ('u-demo-gridworker', 'gridWorker', 'grid', 'g2')").run());
	adminToken = await f.server.login('demo-admin');
});

const refusals = () => (f.server.output().match(/collab\.ruleRefused/g) ?? []).length;

/** The stored grid, as a fresh client loads it from the server. */
const stored = async () => gridJson(await snapshotOf(f.server, DOC, adminToken));

/** Sends the liaison member's `change` raw; expects it refused, logged with `logged`, and nothing stored. */
async function refused(change: (d: Y.Doc) => void, logged: string): Promise<void> {
	const before = await stored();
	const a = await attacker(f.server, DOC, await f.server.login('demo-liaison'));
	try {
		expect(await a.send(a.build(change))).toBe('refused');
	} finally {
		a.close();
	}
	expect(await stored()).toBe(before);
	await waitFor(() => refusalLogged(f.server, 'demo-liaison', logged), `a refusal logged with "${logged}"`);
}

describe('grid rules on the server', () => {
	it('refuses deleting every household', async () => {
		await refused((d) => {
			const hs = d.getMap(GRID_ROOTS.households);
			for (const id of [...hs.keys()]) hs.delete(id);
		}, 'deleted by someone not a committee member or admin');
	});

	it('refuses deleting the colour history', async () => {
		await refused((d) => d.getArray(GRID_ROOTS.colourEvents).delete(0, d.getArray(GRID_ROOTS.colourEvents).length), 'colourEvents is append-only');
	});

	it('refuses renaming the grid and moving it to another community', async () => {
		await refused((d) => d.getMap(GRID_ROOTS.meta).set('name', '我的网格'), 'meta.name is changed by an admin only');
		await refused((d) => d.getMap(GRID_ROOTS.meta).set('communityId', 'c2'), 'meta.communityId follows the place tree');
	});

	it('refuses 500 visits in a grid worker’s name', async () => {
		await refused((d) => {
			const h = listHouseholds(d)[0].id;
			d.transact(() => {
				for (let i = 0; i < 500; i++) recordVisit(d, h, { mode: 'inPerson', note: '', by: WORKER, byName: '李秀英' });
			});
		}, 'visit.by is not the sender (u-demo-gridworker)');
	});

	it('refuses an oversized value and a value of the wrong type', async () => {
		await refused((d) => (d.getMap(GRID_ROOTS.households).get(listHouseholds(d)[0].id) as Y.Map<unknown>).set('head', '王'.repeat(10_000)), '.head longer than 100');
		await refused((d) => (d.getMap(GRID_ROOTS.households).get(listHouseholds(d)[0].id) as Y.Map<unknown>).set('size', { n: 3 }), '.size not a whole number');
	});

	it('refuses a wish marked done in a committee member’s name', async () => {
		const liaisonToken = await f.server.login('demo-liaison');
		const committee = f.open(DOC, await f.server.login('demo-committee'));
		const liaison = f.open(DOC, liaisonToken);
		await Promise.all([waitAcknowledged(committee), waitAcknowledged(liaison)]);
		const h = listHouseholds(committee.doc)[0].id;
		const wish = postWish(committee.doc, h, '代买药品', { by: COMMITTEE, byName: '陈国平' });
		dispatchWish(committee.doc, wish, null, { by: COMMITTEE, byName: '陈国平' });
		await waitFor(() => readWish(liaison.doc, wish)?.status === 'dispatched', 'the wish on the liaison’s tablet');
		claimWish(liaison.doc, wish, { by: LIAISON, byName: '张建华' });
		await waitAcknowledged(liaison);
		await refused((d) => completeWish(d, wish, '已办', { by: COMMITTEE, byName: '陈国平' }), `wish ${wish} marked done in the name of ${COMMITTEE}`);
	});

	it('decides a claim race by the server’s receive time: a back-dated claim loses to the honest one', async () => {
		const committee = f.open(DOC, await f.server.login('demo-committee'));
		await waitAcknowledged(committee);
		const h = listHouseholds(committee.doc)[1].id;
		const wish = postWish(committee.doc, h, '陪老人看病', { by: COMMITTEE, byName: '陈国平' });
		dispatchWish(committee.doc, wish, null, { by: COMMITTEE, byName: '陈国平' });
		await waitAcknowledged(committee);

		const honest = f.open(DOC, await f.server.login('demo-gridworker'));
		await waitAcknowledged(honest);
		claimWish(honest.doc, wish, { by: WORKER, byName: '李秀英' });
		await waitAcknowledged(honest);

		// back-dated to 2001: refused outright
		await refused((d) => {
			const claims = (d.getMap(GRID_ROOTS.wishes).get(wish) as Y.Map<unknown>).get('claims') as Y.Array<unknown>;
			claims.push([{ id: 'claim-2001', by: LIAISON, byName: '张建华', at: '2001-01-01T00:00:00.000Z' }]);
		}, 'too far in the past');
		// back-dated by an hour (as a device offline for a while might be): taken, but it came second
		const a = await attacker(f.server, DOC, await f.server.login('demo-liaison'));
		const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
		const claimLate = (d: Y.Doc) =>
			((d.getMap(GRID_ROOTS.wishes).get(wish) as Y.Map<unknown>).get('claims') as Y.Array<unknown>).push([
				{ id: 'claim-hour-ago', by: LIAISON, byName: '张建华', at: hourAgo }
			]);
		expect(await a.send(a.build(claimLate))).toBe('acknowledged');
		a.close();
		await waitFor(() => readReceipts(committee.doc).has('claim-hour-ago'), 'the server’s receipt of the later claim');
		const fresh = await snapshotOf(f.server, DOC, adminToken);
		expect(readWish(fresh, wish)?.claims.map((c) => c.by)).toEqual([WORKER, LIAISON]);
		expect(readWish(fresh, wish)?.claimedBy).toBe(WORKER);
		expect(readWish(honest.doc, wish)?.claimedBy).toBe(WORKER);
	});

	it('refuses writing the server’s receipts', async () => {
		await refused((d) => d.getMap(GRID_ROOTS.receipts).set('claim-x', '2001-01-01T00:00:00.000Z'), 'receipts are written by the server only');
	});

	it('takes the named mutations of each role, and points come from the records alone', async () => {
		const liaison = f.open(DOC, await f.server.login('demo-liaison'));
		const worker = f.open(DOC, await f.server.login('demo-gridworker'));
		const committee = f.open(DOC, await f.server.login('demo-committee'));
		await Promise.all([liaison, worker, committee].map((c) => waitAcknowledged(c)));
		const before = leaderboard([liaison.doc]).find((t) => t.memberId === LIAISON)?.total ?? 0;
		const refusedBefore = refusals();
		const [h1, h2] = listHouseholds(worker.doc).map((h) => h.id);
		updateHousehold(worker.doc, h1, { phone: '138 0000 1111', tags: ['elderly'] });
		changeColour(worker.doc, h1, 'red', '家中老人独居', WORKER);
		assignLiaison(committee.doc, h2, LIAISON, COMMITTEE);
		recordVisit(liaison.doc, h1, { mode: 'inPerson', note: '已上门', by: LIAISON, byName: '张建华', colourChange: { to: 'orange', reason: '有亲属照看' } });
		const wish = postWish(liaison.doc, h1, '修理门锁', { by: LIAISON, byName: '张建华' });
		await Promise.all([liaison, worker, committee].map((c) => waitAcknowledged(c)));
		await waitFor(() => readWish(committee.doc, wish) !== null, 'the wish on the committee tablet');
		dispatchWish(committee.doc, wish, { id: LIAISON, displayName: '张建华' }, { by: COMMITTEE, byName: '陈国平' });
		await waitFor(() => readWish(liaison.doc, wish)?.status === 'dispatched', 'the dispatch on the liaison tablet');
		claimWish(liaison.doc, wish, { by: LIAISON, byName: '张建华' });
		await waitFor(() => readWish(committee.doc, wish)?.status === 'claimed', 'the claim on the committee tablet');
		completeWish(committee.doc, wish, '已修好', { by: COMMITTEE, byName: '陈国平' });
		await Promise.all([liaison, worker, committee].map((c) => waitAcknowledged(c)));
		expect(liaison.closes.concat(worker.closes, committee.closes)).toEqual([]);
		const fresh = await snapshotOf(f.server, DOC, adminToken);
		expect(readWish(fresh, wish)?.status).toBe('done');
		expect(listWishes(fresh).find((w) => w.id === wish)?.claimedBy).toBe(LIAISON);
		// 2 for the visit in person, 5 for the completed wish: nothing else is counted
		expect(leaderboard([fresh]).find((t) => t.memberId === LIAISON)?.total).toBe(before + 7);
		expect(refusals()).toBe(refusedBefore);
	});
});
