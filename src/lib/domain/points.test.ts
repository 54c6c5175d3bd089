import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold } from './grid-doc.ts';
import { recordVisit } from './visits.ts';
import { claimWish, completeWish, dispatchWish, postWish } from './wishes.ts';
import { DEFAULT_WEIGHTS, leaderboard, memberTally, pointEvents } from './points.ts';

const AT = '2026-11-01T08:00:00.000Z';
function grid() {
	const doc = new Y.Doc();
	const h = addHousehold(doc, { address: '1号', lng: 120.24, lat: 29.71, head: '王', size: 1, phone: '', tags: [], colour: 'orange' }, 'u', AT);
	return { doc, h };
}

describe('points', () => {
	it('earns the mode weight per visit and the wish weight per done wish, for the winning claimant', () => {
		const { doc, h } = grid();
		recordVisit(doc, h, { mode: 'inPerson', note: '', by: 'u-a', byName: '甲', at: '2026-11-02T00:00:00.000Z' });
		recordVisit(doc, h, { mode: 'online', note: '', by: 'u-a', byName: '甲', at: '2026-11-03T00:00:00.000Z' });
		const w = postWish(doc, h, '修门', { by: 'u-w', at: AT });
		dispatchWish(doc, w, null, { by: 'u-c', at: AT });
		claimWish(doc, w, { by: 'u-b', byName: '乙', at: '2026-11-04T00:00:00.000Z' });
		expect(pointEvents(doc).filter((e) => e.kind === 'wish')).toHaveLength(0); // not done yet
		completeWish(doc, w, '好了', { by: 'u-b', at: '2026-11-05T00:00:00.000Z' });

		const board = leaderboard([doc]);
		expect(board.map((t) => [t.memberId, t.total, t.visits, t.wishes])).toEqual([
			['u-b', 5, 0, 1],
			['u-a', 3, 2, 0]
		]);
		expect(memberTally([doc], 'u-a').events.map((e) => e.points)).toEqual([1, 2]); // newest first
		expect(memberTally([doc], 'u-nobody').total).toBe(0);
	});

	it('uses configured weights and sums over a community’s grids', () => {
		const g1 = grid();
		const g2 = grid();
		recordVisit(g1.doc, g1.h, { mode: 'inPerson', note: '', by: 'u-a', at: AT });
		recordVisit(g2.doc, g2.h, { mode: 'inPerson', note: '', by: 'u-a', at: AT });
		recordVisit(g2.doc, g2.h, { mode: 'online', note: '', by: 'u-b', at: AT });
		const weights = { ...DEFAULT_WEIGHTS, visit: { inPerson: 10, online: 4 } };
		expect(leaderboard([g1.doc, g2.doc], weights).map((t) => [t.memberId, t.total])).toEqual([
			['u-a', 20],
			['u-b', 4]
		]);
	});
});
