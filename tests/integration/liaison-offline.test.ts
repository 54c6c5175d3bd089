/**
 * Issue 4 over real WebSockets: liaison work done offline on two tablets converges the same
 * way on every client — both visits kept with one due date; one claim winner, decided by the
 * server's receive time (receipts.ts), not by the tablets' clocks.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CADENCE_DAYS } from '../../src/lib/domain/colours.ts';
import { readHousehold } from '../../src/lib/domain/grid-doc.ts';
import { leaderboard } from '../../src/lib/domain/points.ts';
import { householdVisits, myHouseholds, recordVisit } from '../../src/lib/domain/visits.ts';
import { claimOutcome, claimWish, dispatchWish, postWish, readWish } from '../../src/lib/domain/wishes.ts';
import { withDb } from '../helpers/access.ts';
import { goOffline, sortedJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();
const open = (token: string) => f.open('grid:g2', token);

/** Every root of a grid document, the liaison ones included, keys sorted. */
const liaisonJson = (doc: Y.Doc) =>
	sortedJson({
		households: doc.getMap('households').toJSON(),
		colourEvents: doc.getArray('colourEvents').toJSON(),
		visits: doc.getArray('visits').toJSON(),
		wishes: doc.getMap('wishes').toJSON(),
		liaisons: doc.getMap('liaisons').toJSON(),
		liaisonEvents: doc.getArray('liaisonEvents').toJSON()
	});

describe('liaison work offline on two tablets', () => {
	it('keeps both visits to one household and derives the same next due date everywhere', async () => {
		const [tl, tc] = await Promise.all([f.server.login('demo-liaison'), f.server.login('demo-committee')]);
		const a = open(tl);
		const b = open(tc);
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		const target = myHouseholds(a.doc, 'u-demo-liaison')[0].household;
		const before = householdVisits(a.doc, target.id).length;

		await Promise.all([goOffline(a), goOffline(b)]);
		const later = new Date(Date.now() + 60_000).toISOString();
		const earlier = new Date(Date.now() - 3_600_000).toISOString();
		// the later visit is made on the tablet whose Yjs client would lose a plain last-writer-wins
		const [late, early] = a.doc.clientID < b.doc.clientID ? [a, b] : [b, a];
		// each visit in the name of its tablet's user (the server refuses any other)
		const who = (c: typeof a) => (c === a ? { by: 'u-demo-liaison', byName: '张建华' } : { by: 'u-demo-committee', byName: '陈国平' });
		recordVisit(late.doc, target.id, { mode: 'inPerson', note: '上门：一切正常', ...who(late), at: later });
		recordVisit(early.doc, target.id, { mode: 'online', note: '线上：电话联系', ...who(early), at: earlier });

		await Promise.all([a.socket.connect(), b.socket.connect()]);
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		await waitFor(() => liaisonJson(a.doc) === liaisonJson(b.doc), 'the two tablets to converge');

		const expected = new Date(Date.parse(later) + CADENCE_DAYS[target.colour] * 86_400_000).toISOString();
		for (const c of [a, b]) {
			const visits = householdVisits(c.doc, target.id);
			expect(visits).toHaveLength(before + 2);
			expect(visits.slice(0, 2).map((v) => v.note)).toEqual(['上门：一切正常', '线上：电话联系']);
			expect(readHousehold(c.doc, target.id)!.nextVisitDue).toBe(expected);
		}
		// points follow the visits on every client
		expect(sortedJson(leaderboard([a.doc]))).toBe(sortedJson(leaderboard([b.doc])));

		// a third client loads the same state from the server
		const fresh = open(tl);
		await waitAcknowledged(fresh);
		await waitFor(() => liaisonJson(fresh.doc) === liaisonJson(a.doc), 'a fresh client to load the merged state');
		expect(readHousehold(fresh.doc, target.id)!.nextVisitDue).toBe(expected);
	});

	it('two members claim one wish offline: the claim the server received first wins, the same on every client, and the other is told', async () => {
		// a grid worker of g2 too: the second claimant
		withDb(f.server, (db) =>
			db.prepare("INSERT OR IGNORE INTO memberships (user_id, role, level, place_id) VALUES ('u-demo-gridworker', 'gridWorker', 'grid', 'g2')").run()
		);
		const [tl, tw, tc] = await Promise.all([f.server.login('demo-liaison'), f.server.login('demo-gridworker'), f.server.login('demo-committee')]);
		const a = open(tl);
		const b = open(tw);
		const committee = open(tc);
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b), waitAcknowledged(committee)]);
		const household = myHouseholds(committee.doc, 'u-demo-liaison')[0].household.id;
		const wish = postWish(committee.doc, household, '帮忙修理院门', { by: 'u-demo-committee', byName: '陈国平' });
		dispatchWish(committee.doc, wish, null, { by: 'u-demo-committee', byName: '陈国平' });
		await waitAcknowledged(committee);
		await waitFor(() => readWish(a.doc, wish)?.status === 'dispatched' && readWish(b.doc, wish)?.status === 'dispatched', 'the dispatched wish on both tablets');

		await Promise.all([goOffline(a), goOffline(b)]);
		const t0 = Date.now();
		// b claims first by its clock but reconnects last: the server receives a's claim first
		claimWish(b.doc, wish, { by: 'u-demo-gridworker', byName: '李秀英', at: new Date(t0).toISOString() });
		claimWish(a.doc, wish, { by: 'u-demo-liaison', byName: '张建华', at: new Date(t0 + 5_000).toISOString() });
		expect(readWish(a.doc, wish)!.claimedBy).toBe('u-demo-liaison'); // what a believes while offline
		expect(readWish(b.doc, wish)!.claimedBy).toBe('u-demo-gridworker'); // and b

		await a.socket.connect();
		await waitAcknowledged(a);
		await b.socket.connect();
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);
		await waitFor(() => readWish(b.doc, wish)?.claims.length === 2 && liaisonJson(a.doc) === liaisonJson(b.doc), 'the two tablets to converge');
		await waitFor(() => b.doc.getMap('receipts').size >= 2, 'the server’s receipts of both claims');

		const fresh = open(tc);
		await waitAcknowledged(fresh);
		await waitFor(() => liaisonJson(fresh.doc) === liaisonJson(a.doc), 'a fresh client to load the merged state');
		for (const c of [a, b, fresh]) {
			const w = readWish(c.doc, wish)!;
			expect(w.status).toBe('claimed');
			expect(w.claims).toHaveLength(2);
			expect(w.claimedBy).toBe('u-demo-liaison');
			expect(claimOutcome(w, 'u-demo-gridworker')).toBe('lost');
			expect(claimOutcome(w, 'u-demo-liaison')).toBe('won');
		}
		// and a further claim on a device that knows the winner is refused with the winner's name
		expect(() => claimWish(b.doc, wish, { by: 'u-demo-gridworker' })).toThrow(/already claimed by 张建华/);
	});
});
