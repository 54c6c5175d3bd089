import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, DomainError } from './grid-doc.ts';
import { writeReceipts } from './receipts.ts';
import { claimOutcome, claimWish, completeWish, dispatchWish, listWishes, postWish, readWish, wishesByStatus } from './wishes.ts';

const AT = '2026-11-01T08:00:00.000Z';
function grid() {
	const doc = new Y.Doc();
	const h = addHousehold(doc, { address: '1号', lng: 120.24, lat: 29.71, head: '王', size: 1, phone: '', tags: [], colour: 'orange' }, 'u', AT);
	return { doc, h };
}
function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('wish workflow', () => {
	it('goes posted → dispatched → claimed → done, each step with who and when', () => {
		const { doc, h } = grid();
		const id = postWish(doc, h, ' 修理漏水的水龙头 ', { by: 'u-w', byName: '李', at: '2026-11-20T08:00:00.000Z' });
		expect(readWish(doc, id)).toMatchObject({ status: 'posted', text: '修理漏水的水龙头', postedBy: 'u-w', postedByName: '李' });
		expect(() => claimWish(doc, id, { by: 'u-l' })).toThrow(/dispatch/);
		dispatchWish(doc, id, null, { by: 'u-c', byName: '陈', at: '2026-11-20T09:00:00.000Z' });
		expect(readWish(doc, id)).toMatchObject({ status: 'dispatched', dispatchedBy: 'u-c', dispatchedByName: '陈', dispatchedTo: null });
		expect(() => completeWish(doc, id, '', { by: 'u-l' })).toThrow(DomainError);
		claimWish(doc, id, { by: 'u-l', byName: '张', at: '2026-11-20T10:00:00.000Z' });
		expect(readWish(doc, id)).toMatchObject({ status: 'claimed', claimedBy: 'u-l', claimedByName: '张', claimedAt: '2026-11-20T10:00:00.000Z' });
		expect(() => claimWish(doc, id, { by: 'u-x', byName: '赵' })).toThrow(/already claimed by 张/);
		completeWish(doc, id, '已修好', { by: 'u-l', byName: '张', at: '2026-11-21T10:00:00.000Z' });
		expect(readWish(doc, id)).toMatchObject({ status: 'done', doneBy: 'u-l', doneByName: '张', doneNote: '已修好', doneAt: '2026-11-21T10:00:00.000Z' });
		expect(wishesByStatus(doc).done.map((w) => w.id)).toEqual([id]);
	});

	it('a wish dispatched to one member can be claimed by that member only', () => {
		const { doc, h } = grid();
		const id = postWish(doc, h, '代买药品', { by: 'u-w' });
		dispatchWish(doc, id, { id: 'u-l', displayName: '张' }, { by: 'u-c' });
		expect(() => claimWish(doc, id, { by: 'u-x' })).toThrow(/dispatched to 张/);
		claimWish(doc, id, { by: 'u-l' });
		expect(readWish(doc, id)!.status).toBe('claimed');
		expect(() => dispatchWish(doc, id, null, { by: 'u-c' })).toThrow(DomainError);
	});

	it('refuses empty and over-long texts and unknown households', () => {
		const { doc, h } = grid();
		expect(() => postWish(doc, h, '  ', { by: 'u' })).toThrow(DomainError);
		expect(() => postWish(doc, h, 'x'.repeat(501), { by: 'u' })).toThrow(DomainError);
		expect(() => postWish(doc, 'nope', 'x', { by: 'u' })).toThrow(DomainError);
		expect(listWishes(doc)).toHaveLength(0);
	});
});

describe('claim conflict', () => {
	it('two offline claims end with one winner, the same on both devices: the earliest claim', () => {
		const { doc: a, h } = grid();
		const id = postWish(a, h, '陪老人看病', { by: 'u-w', at: AT });
		dispatchWish(a, id, null, { by: 'u-c', at: AT });
		const b = new Y.Doc();
		sync(a, b);
		claimWish(a, id, { by: 'u-a', byName: '甲', at: '2026-11-20T10:00:05.000Z' });
		claimWish(b, id, { by: 'u-b', byName: '乙', at: '2026-11-20T10:00:01.000Z' });
		sync(a, b);
		for (const d of [a, b]) {
			const w = readWish(d, id)!;
			expect(w.claims).toHaveLength(2);
			expect(w.claimedBy).toBe('u-b');
			expect(claimOutcome(w, 'u-b')).toBe('won');
			expect(claimOutcome(w, 'u-a')).toBe('lost');
			expect(claimOutcome(w, 'u-z')).toBe('none');
		}
	});

	it('claims at the same instant are decided by claimant id', () => {
		const { doc: a, h } = grid();
		const id = postWish(a, h, '陪老人看病', { by: 'u-w', at: AT });
		dispatchWish(a, id, null, { by: 'u-c', at: AT });
		const b = new Y.Doc();
		sync(a, b);
		claimWish(b, id, { by: 'u-2', at: '2026-11-20T10:00:00.000Z' });
		claimWish(a, id, { by: 'u-1', at: '2026-11-20T10:00:00.000Z' });
		sync(a, b);
		expect(readWish(a, id)!.claimedBy).toBe('u-1');
		expect(readWish(b, id)!.claimedBy).toBe('u-1');
	});

	it('the claim the server received first wins, whatever the device clocks say', () => {
		const { doc, h } = grid();
		const id = postWish(doc, h, '陪老人看病', { by: 'u-w', at: AT });
		dispatchWish(doc, id, null, { by: 'u-c', at: AT });
		claimWish(doc, id, { by: 'u-honest', at: '2026-11-20T10:00:00.000Z' }, 'claim-honest');
		writeReceipts(doc, ['claim-honest'], '2026-11-20T10:00:01.000Z');
		// a back-dated claim, received later (appended past the device check)
		((doc.getMap('wishes').get(id) as Y.Map<unknown>).get('claims') as Y.Array<unknown>).push([
			{ id: 'claim-early', by: 'u-a', byName: '', at: '2026-01-01T00:00:00.000Z' }
		]);
		// not yet received: ranked after every received claim
		expect(readWish(doc, id)!.claimedBy).toBe('u-honest');
		writeReceipts(doc, ['claim-early'], '2026-11-20T10:05:00.000Z');
		expect(readWish(doc, id)!.claimedBy).toBe('u-honest');
		expect(readWish(doc, id)!.claims.map((c) => c.id)).toEqual(['claim-honest', 'claim-early']);
	});
});
