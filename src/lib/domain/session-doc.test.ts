import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DomainError } from './grid-doc.ts';
import {
	addActionItem,
	addAgendaItem,
	addResolution,
	castVote,
	closeSession,
	closeVote,
	draftProposal,
	freezeState,
	initSession,
	isOverdue,
	listActionItems,
	listAgenda,
	listAttendance,
	markFrozen,
	markPresent,
	minutesFragment,
	minutesText,
	moveAgendaItem,
	openVote,
	readProposal,
	readSession,
	readSessionMeta,
	sessionHash,
	setAgendaDiscussed,
	signOff,
	startSession
} from './session-doc.ts';

const CHAIR = 'u-chair';
const A = 'u-a';
const B = 'u-b';

function code(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		if (e instanceof DomainError) return e.code;
		throw e;
	}
	return 'no error';
}

/** A live session chaired by CHAIR with CHAIR and A present, one agenda item. */
function liveSession(): { doc: Y.Doc; item: string } {
	const doc = new Y.Doc();
	initSession(doc, {
		title: '老旧小区加装电梯议事会',
		communityId: 'c1',
		place: { lng: 120.24, lat: 29.71, label: '3 号楼前' },
		startsAt: '2026-11-23T09:00:00.000Z',
		topic: '加装电梯费用分摊',
		chairId: CHAIR,
		invited: [A, B]
	});
	startSession(doc, CHAIR);
	markPresent(doc, CHAIR, { name: '主持人', role: 'committee' }, CHAIR);
	markPresent(doc, A, { name: '张三', role: 'resident' }, A);
	const item = addAgendaItem(doc, '费用分摊方案', CHAIR);
	return { doc, item };
}

/** Replicates `from` into a fresh document, as another device would see it after sync. */
function replica(from: Y.Doc): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
	return doc;
}

const sync = (a: Y.Doc, b: Y.Doc) => {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
};

describe('session meta and agenda', () => {
	it('starts upcoming, goes live only by the chair', () => {
		const doc = new Y.Doc();
		initSession(doc, { title: 't', communityId: 'c1', place: null, startsAt: '2026-11-23T09:00:00Z', topic: '', chairId: CHAIR });
		expect(readSessionMeta(doc).status).toBe('upcoming');
		expect(code(() => startSession(doc, A))).toBe('chairOnly');
		startSession(doc, CHAIR);
		expect(readSessionMeta(doc).status).toBe('live');
	});

	it('refuses a session without a title or with a bad time', () => {
		const base = { title: 't', communityId: 'c1', place: null, startsAt: '2026-11-23T09:00:00Z', topic: '', chairId: CHAIR };
		expect(code(() => initSession(new Y.Doc(), { ...base, title: '  ' }))).toBe('invalidTitle');
		expect(code(() => initSession(new Y.Doc(), { ...base, startsAt: 'tomorrow' }))).toBe('invalidStartsAt');
	});

	it('keeps the agenda in order, reorders by moving one item, marks discussed', () => {
		const { doc, item } = liveSession();
		const second = addAgendaItem(doc, '停车位', A);
		const third = addAgendaItem(doc, '垃圾分类', A);
		expect(listAgenda(doc).map((i) => i.id)).toEqual([item, second, third]);
		moveAgendaItem(doc, third, 0);
		expect(listAgenda(doc).map((i) => i.id)).toEqual([third, item, second]);
		moveAgendaItem(doc, third, 1);
		expect(listAgenda(doc).map((i) => i.id)).toEqual([item, third, second]);
		setAgendaDiscussed(doc, item, true);
		expect(listAgenda(doc)[0].discussed).toBe(true);
	});

	it('two devices reordering at once keep every item exactly once', () => {
		const { doc, item } = liveSession();
		const second = addAgendaItem(doc, '停车位', A);
		const third = addAgendaItem(doc, '垃圾分类', A);
		const other = replica(doc);
		moveAgendaItem(doc, third, 0);
		moveAgendaItem(other, item, 2);
		sync(doc, other);
		const ids = listAgenda(doc).map((i) => i.id);
		expect(ids).toEqual(listAgenda(other).map((i) => i.id));
		expect([...ids].sort()).toEqual([item, second, third].sort());
	});
});

describe('attendance', () => {
	it('a participant marks themselves present; only the chair marks others', () => {
		const { doc } = liveSession();
		expect(code(() => markPresent(doc, B, { name: '李四', role: 'resident' }, A))).toBe('chairOnly');
		markPresent(doc, B, { name: '李四', role: 'resident' }, CHAIR);
		expect(listAttendance(doc).map((a) => a.userId)).toEqual([A, B, CHAIR].sort());
	});
});

describe('proposals and votes', () => {
	it('only present participants draft proposals', () => {
		const { doc, item } = liveSession();
		expect(code(() => draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, B))).toBe('notPresent');
		expect(readProposal(doc, draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A))?.status).toBe('draft');
	});

	it('votes are taken only while the chair has the vote open', () => {
		const { doc, item } = liveSession();
		const p = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A);
		expect(code(() => castVote(doc, p, A, 'for'))).toBe('voteNotOpen');
		expect(code(() => openVote(doc, p, A))).toBe('chairOnly');
		openVote(doc, p, CHAIR);
		castVote(doc, p, A, 'for');
		expect(code(() => closeVote(doc, p, A))).toBe('chairOnly');
		closeVote(doc, p, CHAIR);
		expect(code(() => castVote(doc, p, CHAIR, 'against'))).toBe('voteNotOpen');
	});

	it('one vote per person, only present participants vote', () => {
		const { doc, item } = liveSession();
		const p = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A);
		openVote(doc, p, CHAIR);
		castVote(doc, p, A, 'for');
		expect(code(() => castVote(doc, p, A, 'against'))).toBe('alreadyVoted');
		expect(code(() => castVote(doc, p, B, 'for'))).toBe('notPresent');
		castVote(doc, p, CHAIR, 'abstain');
		expect(readProposal(doc, p)?.tally).toEqual({ for: 1, against: 0, abstain: 1 });
	});

	it('a vote cast offline counts once however many times it syncs', () => {
		const { doc, item } = liveSession();
		const p = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A);
		openVote(doc, p, CHAIR);
		const tablet = replica(doc);
		castVote(tablet, p, A, 'for');
		const update = Y.encodeStateAsUpdate(tablet);
		for (let i = 0; i < 3; i++) Y.applyUpdate(doc, update);
		const server = replica(doc);
		Y.applyUpdate(server, update);
		expect(readProposal(doc, p)?.votes).toHaveLength(1);
		expect(readProposal(server, p)?.tally).toEqual({ for: 1, against: 0, abstain: 0 });
	});

	it('closing records tally, result and who was counted; a late vote is shown but not counted', () => {
		const { doc, item } = liveSession();
		const p = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A);
		openVote(doc, p, CHAIR);
		const late = replica(doc);
		castVote(doc, p, A, 'for');
		castVote(late, p, CHAIR, 'against');
		const closed = closeVote(doc, p, CHAIR);
		expect(closed.result).toBe('adopted');
		expect(closed.tally).toEqual({ for: 1, against: 0, abstain: 0 });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(late));
		const after = readProposal(doc, p)!;
		expect(after.votes).toHaveLength(2);
		expect(after.tally).toEqual({ for: 1, against: 0, abstain: 0 });
		expect(after.lateVotes).toEqual([CHAIR]);
	});

	it('a tie is rejected', () => {
		const { doc, item } = liveSession();
		const p = draftProposal(doc, { text: '按户分摊', agendaItemId: item }, A);
		openVote(doc, p, CHAIR);
		castVote(doc, p, A, 'for');
		castVote(doc, p, CHAIR, 'against');
		expect(closeVote(doc, p, CHAIR).result).toBe('rejected');
	});
});

describe('resolutions and action items', () => {
	it('records action items with owner and due date, and knows when they are late', () => {
		const { doc, item } = liveSession();
		const r = addResolution(doc, { text: '同意加装电梯，按楼层分摊', agendaItemId: item }, CHAIR);
		expect(code(() => addActionItem(doc, { resolutionId: r, text: '联系施工方', owner: A, due: '30/11/2026' }))).toBe('invalidDue');
		addActionItem(doc, { resolutionId: r, text: '联系施工方', owner: A, due: '2026-11-30' });
		const [a] = listActionItems(doc);
		expect(a).toMatchObject({ resolutionId: r, owner: A, due: '2026-11-30', status: 'open' });
		expect(isOverdue(a, '2026-11-30')).toBe(false);
		expect(isOverdue(a, '2026-12-01')).toBe(true);
	});
});

describe('sign-off and freeze', () => {
	it('sign-off begins when the chair closes; the last present sign-off makes it due to freeze', () => {
		const { doc } = liveSession();
		expect(code(() => signOff(doc, A))).toBe('notClosed');
		closeSession(doc, CHAIR);
		expect(code(() => signOff(doc, B))).toBe('notPresent');
		signOff(doc, A);
		expect(freezeState(doc)).toBe('open');
		signOff(doc, CHAIR);
		expect(freezeState(doc)).toBe('due');
	});

	it('the chair closing with a recorded reason makes it due at once', () => {
		const { doc } = liveSession();
		closeSession(doc, CHAIR, '张三提前离场，未能签字');
		expect(freezeState(doc)).toBe('due');
		expect(readSessionMeta(doc).closeReason).toBe('张三提前离场，未能签字');
	});

	it('once due, every mutation refuses; markFrozen writes the hash, which still matches', () => {
		const { doc, item } = liveSession();
		minutesFragment(doc, item).insert(0, [new Y.XmlText('同意')]);
		closeSession(doc, CHAIR, '会议结束');
		expect(code(() => addAgendaItem(doc, '新议题', A))).toBe('frozen');
		expect(code(() => setAgendaDiscussed(doc, item, true))).toBe('frozen');
		expect(code(() => markPresent(doc, 'u-x', { name: 'x', role: '' }, 'u-x'))).toBe('frozen');
		const hash = sessionHash(doc);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		markFrozen(doc, hash, '2026-11-23T11:00:00.000Z');
		expect(freezeState(doc)).toBe('frozen');
		expect(readSessionMeta(doc).frozenHash).toBe(hash);
		expect(sessionHash(doc)).toBe(hash);
		expect(sessionHash(replica(doc))).toBe(hash);
	});

	it('refuses to mark an open session frozen', () => {
		const { doc } = liveSession();
		expect(code(() => markFrozen(doc, 'x'))).toBe('notDueForFreeze');
	});

	it('the hash changes with the minutes and is the same on every replica', () => {
		const { doc, item } = liveSession();
		const other = replica(doc);
		const before = sessionHash(doc);
		minutesFragment(other, item).insert(0, [new Y.XmlText('记录')]);
		expect(sessionHash(other)).not.toBe(before);
		sync(doc, other);
		expect(sessionHash(doc)).toBe(sessionHash(other));
	});
});

describe('minutes', () => {
	it('reads paragraphs as lines of plain text', () => {
		const { doc, item } = liveSession();
		const p1 = new Y.XmlElement('paragraph');
		p1.insert(0, [new Y.XmlText('第一段')]);
		const p2 = new Y.XmlElement('paragraph');
		const t2 = new Y.XmlText('第二段');
		p2.insert(0, [t2]);
		minutesFragment(doc, item).insert(0, [p1, p2]);
		t2.format(0, 1, { bold: true });
		expect(minutesText(doc, item)).toBe('第一段\n第二段');
		expect(readSession(doc).minutes[item]).toBe('第一段\n第二段');
	});
});
