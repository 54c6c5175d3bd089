import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { captureChange } from './doc-change.ts';
import { addHousehold, changeColour, GRID_ROOTS, updateHousehold } from './grid-doc.ts';
import { gridRules } from './grid-rules.ts';
import { assignLiaison, setAcquainted, setLiaisonMember } from './liaisons.ts';
import { readReceipts } from './receipts.ts';
import type { Role } from './roles.ts';
import { recordVisit } from './visits.ts';
import { claimWish, completeWish, dispatchWish, postWish } from './wishes.ts';

const WORKER = 'u-worker';
const LIAISON = 'u-liaison';
const COMMITTEE = 'u-committee';
const ROLES: Record<string, Role[]> = { [WORKER]: ['gridWorker'], [LIAISON]: ['liaison'], [COMMITTEE]: ['committee'], 'u-admin': ['admin'] };

function grid(): { doc: Y.Doc; h: string; h2: string } {
	const doc = new Y.Doc();
	const h = addHousehold(doc, { address: '1号', lng: 120.24, lat: 29.71, head: '王', size: 2, phone: '', tags: [], colour: 'orange' }, WORKER);
	const h2 = addHousehold(doc, { address: '2号', lng: 120.25, lat: 29.72, head: '李', size: 1, phone: '', tags: ['elderly'], colour: 'green' }, WORKER);
	doc.getMap(GRID_ROOTS.meta).set('name', '网格一');
	doc.getMap(GRID_ROOTS.meta).set('communityId', 'c1');
	return { doc, h, h2 };
}

/** What `userId` doing `change` on a copy of `doc` breaks; the copy is kept in `last`. */
let last: { copy: Y.Doc; followUp: ((live: Y.Doc) => void) | null } | null = null;
function judge(doc: Y.Doc, userId: string, change: (copy: Y.Doc) => void, now = new Date().toISOString()): string[] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const what = captureChange(copy, () => change(copy));
	const j = gridRules.judge(doc, copy, what, { userId, roles: ROLES[userId] ?? [], now });
	last = { copy, followUp: j.followUp };
	return j.violations;
}
/** Applies the judged copy's state to `doc` (as the live document applying the accepted update). */
function accept(doc: Y.Doc): void {
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(last!.copy));
	last!.followUp?.(doc);
}

describe('grid rules (server side)', () => {
	it('accepts the named mutations of each role', () => {
		const { doc, h, h2 } = grid();
		const ok = (userId: string, change: (d: Y.Doc) => void) => {
			expect(judge(doc, userId, change), userId).toEqual([]);
			accept(doc);
		};
		ok(WORKER, (d) => updateHousehold(d, h, { phone: '138 0000 0000', tags: ['elderly', 'child'] }));
		ok(LIAISON, (d) => changeColour(d, h, 'red', '家中有人住院', LIAISON));
		ok(LIAISON, (d) => recordVisit(d, h, { mode: 'inPerson', note: '已走访', by: LIAISON, byName: '张', colourChange: { to: 'yellow', reason: '好转' } }));
		ok(COMMITTEE, (d) => setLiaisonMember(d, { id: LIAISON, displayName: '张', lng: 120.2, lat: 29.7 }));
		ok(WORKER, (d) => assignLiaison(d, h2, LIAISON, WORKER));
		ok(COMMITTEE, (d) => setAcquainted(d, h2, LIAISON));
		ok(WORKER, (d) => addHousehold(d, { address: '3号', lng: 120.2, lat: 29.7, head: '赵', size: 3, phone: '', tags: [], colour: 'green' }, WORKER));
		let wish = '';
		ok(LIAISON, (d) => (wish = postWish(d, h, '修水管', { by: LIAISON, byName: '张' })));
		ok(COMMITTEE, (d) => dispatchWish(d, wish, null, { by: COMMITTEE, byName: '陈' }));
		ok(LIAISON, (d) => claimWish(d, wish, { by: LIAISON, byName: '张' }));
		expect([...readReceipts(doc).keys()]).toHaveLength(1);
		ok(LIAISON, (d) => completeWish(d, wish, '修好了', { by: LIAISON, byName: '张' }));
		ok(COMMITTEE, (d) => d.getMap(GRID_ROOTS.households).delete(h2));
	});

	it('refuses deleting histories and households, renaming and moving the grid, from a liaison member', () => {
		const { doc, h } = grid();
		recordVisit(doc, h, { mode: 'online', note: '', by: LIAISON });
		expect(judge(doc, LIAISON, (d) => d.getArray(GRID_ROOTS.colourEvents).delete(0, 2))).toEqual(['colourEvents is append-only: 2 deleted']);
		expect(judge(doc, LIAISON, (d) => d.getArray(GRID_ROOTS.visits).delete(0, 1))).toEqual(['visits is append-only: 1 deleted']);
		expect(judge(doc, LIAISON, (d) => d.getMap(GRID_ROOTS.households).delete(h))).toEqual([`household ${h} deleted by someone not a committee member or admin`]);
		expect(judge(doc, LIAISON, (d) => d.getMap(GRID_ROOTS.meta).set('name', '我的网格'))).toEqual(['meta.name is changed by an admin only']);
		expect(judge(doc, 'u-admin', (d) => d.getMap(GRID_ROOTS.meta).set('communityId', 'c2'))).toEqual([
			'meta.communityId follows the place tree: no client moves a grid'
		]);
		expect(judge(doc, LIAISON, (d) => d.getMap('points').set(LIAISON, 9999))).toEqual(['root points is not part of a grid document']);
	});

	it('refuses records in someone else’s name', () => {
		const { doc, h } = grid();
		expect(judge(doc, LIAISON, (d) => recordVisit(d, h, { mode: 'inPerson', note: '', by: WORKER }))).toEqual(['visit.by is not the sender (u-worker)']);
		expect(judge(doc, LIAISON, (d) => changeColour(d, h, 'red', '理由', WORKER))).toEqual([
			'household ' + h + ' colour changed without its colour event',
			'colour event.by is not the sender (u-worker)'
		]);
		const wish = postWish(doc, h, '修水管', { by: WORKER });
		dispatchWish(doc, wish, null, { by: COMMITTEE });
		claimWish(doc, wish, { by: LIAISON });
		expect(judge(doc, LIAISON, (d) => completeWish(d, wish, '', { by: COMMITTEE }))).toEqual([`wish ${wish} marked done in the name of ${COMMITTEE}`]);
		expect(judge(doc, LIAISON, (d) => dispatchWish(d, postWish(d, h, "另一个", { by: LIAISON }), null, { by: LIAISON }))).toEqual([
			expect.stringMatching(/dispatched by someone whose role does not dispatch/)
		]);
	});

	it('refuses values outside the schema and device times outside the window', () => {
		const { doc, h } = grid();
		expect(judge(doc, WORKER, (d) => (d.getMap(GRID_ROOTS.households).get(h) as Y.Map<unknown>).set('head', 'x'.repeat(101)))).toEqual([
			`household ${h}.head longer than 100`
		]);
		expect(judge(doc, WORKER, (d) => (d.getMap(GRID_ROOTS.households).get(h) as Y.Map<unknown>).set('size', '3'))).toEqual([
			`household ${h}.size not a whole number 0–99`
		]);
		expect(judge(doc, WORKER, (d) => (d.getMap(GRID_ROOTS.households).get(h) as Y.Map<unknown>).set('tags', ['vip']))).toEqual([
			`household ${h}.tags not one of elderly/child/disabled/tenant/partyMember`
		]);
		expect(judge(doc, WORKER, (d) => recordVisit(d, h, { mode: 'inPerson', note: '', by: WORKER, at: '2001-01-01T00:00:00.000Z' }))).toEqual([
			'visit.at too far in the past'
		]);
		const wish = postWish(doc, h, '修水管', { by: WORKER });
		dispatchWish(doc, wish, null, { by: COMMITTEE });
		expect(judge(doc, LIAISON, (d) => claimWish(d, wish, { by: LIAISON, at: '2001-01-01T00:00:00.000Z' }))).toEqual([
			`claim on ${wish}.at too far in the past`
		]);
	});

	it('keeps receipts to the server and claims append-only', () => {
		const { doc, h } = grid();
		const wish = postWish(doc, h, '修水管', { by: WORKER });
		dispatchWish(doc, wish, null, { by: COMMITTEE });
		claimWish(doc, wish, { by: LIAISON });
		expect(judge(doc, LIAISON, (d) => d.getMap(GRID_ROOTS.receipts).set('x', '2001-01-01T00:00:00.000Z'))).toEqual(['receipts are written by the server only']);
		expect(judge(doc, WORKER, (d) => ((d.getMap(GRID_ROOTS.wishes).get(wish) as Y.Map<unknown>).get('claims') as Y.Array<unknown>).delete(0, 1))).toEqual([
			`wish ${wish} claims are append-only`
		]);
	});

	it('takes what honest tablets send across each other’s changes made meanwhile', () => {
		const { doc, h, h2 } = grid();
		// a visit recorded offline on a household the committee deleted meanwhile
		const tablet = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(doc));
		recordVisit(tablet, h2, { mode: 'inPerson', note: '', by: LIAISON });
		doc.getMap(GRID_ROOTS.households).delete(h2);
		expect(judge(doc, LIAISON, (d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(tablet)))).toEqual([]);
		// a claim crossing a re-dispatch, and two completions crossing
		const wish = postWish(doc, h, '修水管', { by: WORKER });
		dispatchWish(doc, wish, null, { by: COMMITTEE });
		const offline = new Y.Doc();
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(doc));
		claimWish(offline, wish, { by: LIAISON });
		dispatchWish(doc, wish, { id: WORKER, displayName: '李' }, { by: COMMITTEE });
		expect(judge(doc, LIAISON, (d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(offline)))).toEqual([]);
		// two claims made offline on two tablets: the second to arrive may integrate before the first
		const wish2 = postWish(doc, h, '买药', { by: WORKER });
		dispatchWish(doc, wish2, null, { by: COMMITTEE });
		const [t1, t2] = [new Y.Doc(), new Y.Doc()];
		t1.clientID = 1; // Yjs puts the lower client id's concurrent insert first
		t2.clientID = 2;
		for (const t of [t1, t2]) Y.applyUpdate(t, Y.encodeStateAsUpdate(doc));
		claimWish(t1, wish2, { by: LIAISON });
		claimWish(t2, wish2, { by: WORKER });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(t2));
		expect(judge(doc, LIAISON, (d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(t1)))).toEqual([]);
	});
});
