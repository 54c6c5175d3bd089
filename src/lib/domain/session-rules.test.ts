import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAgendaItem,
	castVote,
	closeSession,
	closeVote,
	draftProposal,
	initSession,
	markPresent,
	minutesFragment,
	openVote,
	signOff,
	startSession
} from './session-doc.ts';
import { captureChange } from './doc-change.ts';
import { judgeSession } from './session-rules.ts';
import { stripDeleteSet } from '../../../tests/helpers/updates.ts';

const CHAIR = 'u-chair';
const A = 'u-a';
const B = 'u-b';

function meeting(): { doc: Y.Doc; item: string; proposal: string } {
	const doc = new Y.Doc();
	initSession(doc, { title: '议事会', communityId: 'c1', place: null, startsAt: '2026-11-23T09:00:00Z', topic: '', chairId: CHAIR });
	startSession(doc, CHAIR);
	for (const u of [CHAIR, A, B]) markPresent(doc, u, { name: u, role: '' }, CHAIR);
	const item = addAgendaItem(doc, '费用', CHAIR);
	const proposal = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, A);
	return { doc, item, proposal };
}

/** The violations of `change` made by `userId` on a copy of `doc`. */
function judge(doc: Y.Doc, userId: string, change: (copy: Y.Doc) => void): string[] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const what = captureChange(copy, () => change(copy));
	return judgeSession(doc, copy, what, { userId, roles: [], now: new Date().toISOString() }).violations;
}

describe('session change rules (server side)', () => {
	it('allows the named mutations made by the right person', () => {
		const { doc, item, proposal } = meeting();
		expect(judge(doc, CHAIR, (d) => openVote(d, proposal, CHAIR))).toEqual([]);
		openVote(doc, proposal, CHAIR);
		expect(judge(doc, A, (d) => castVote(d, proposal, A, 'for'))).toEqual([]);
		expect(judge(doc, A, (d) => minutesFragment(d, item).insert(0, [new Y.XmlText('纪要')]))).toEqual([]);
		expect(judge(doc, A, (d) => draftProposal(d, { text: '另一个', agendaItemId: item }, A))).toEqual([]);
		expect(judge(doc, CHAIR, (d) => closeVote(d, proposal, CHAIR))).toEqual([]);
	});

	it('refuses a vote under someone else’s id, and removing someone’s vote', () => {
		const { doc, proposal } = meeting();
		openVote(doc, proposal, CHAIR);
		expect(judge(doc, A, (d) => castVote(d, proposal, B, 'against'))).toEqual([`vote of ${B} on ${proposal} cast by ${A}`]);
		castVote(doc, proposal, B, 'for');
		const votes = () => (doc.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>;
		expect(votes().has(B)).toBe(true);
		expect(
			judge(doc, A, (d) => ((d.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>).delete(B))
		).toHaveLength(1);
	});

	it('lets a vote cast offline while open arrive after the close (it is shown as late)', () => {
		const { doc, proposal } = meeting();
		openVote(doc, proposal, CHAIR);
		const tablet = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(doc));
		castVote(tablet, proposal, B, 'against');
		closeVote(doc, proposal, CHAIR);
		expect(judge(doc, B, (d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(tablet)))).toEqual([]);
	});

	it('keeps opening and closing votes, closing the meeting and the chair to the chair', () => {
		const { doc, proposal } = meeting();
		expect(judge(doc, A, (d) => openVote(d, proposal, CHAIR))).toEqual([`proposal ${proposal} status changed by someone not the chair`]);
		expect(judge(doc, A, (d) => closeSession(d, CHAIR, '散会'))).toEqual([
			'meta.status is changed by the chair only',
			'meta.closeReason is changed by the chair only'
		]);
		expect(judge(doc, A, (d) => d.getMap('meta').set('chairId', A))).toEqual(['meta.chairId is changed by the chair only']);
	});

	it('refuses the frozen hash from anyone, sign-offs and attendance in someone else’s name', () => {
		const { doc } = meeting();
		expect(judge(doc, CHAIR, (d) => d.getMap('meta').set('frozenHash', 'f'.repeat(64)))).toEqual(['meta.frozenHash is written by the server only']);
		closeSession(doc, CHAIR);
		expect(judge(doc, A, (d) => signOff(d, A))).toEqual([]);
		expect(judge(doc, A, (d) => signOff(d, B))).toEqual([`sign-off of ${B} is given by them only`]);
		expect(judge(doc, A, (d) => d.getMap('attendance').set('u-x', { name: 'x', role: '', at: new Date().toISOString() }))).toEqual([
			'attendance of u-x is marked by them or the chair only'
		]);
	});

	it('takes votes once, from participants marked present, on a proposal put to the vote', () => {
		const { doc, proposal } = meeting();
		const votes = (d: Y.Doc) => (d.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>;
		const at = new Date().toISOString();
		expect(judge(doc, A, (d) => votes(d).set(A, { choice: 'for', at }))).toEqual([`vote of ${A} on ${proposal} before the vote was opened`]);
		openVote(doc, proposal, CHAIR);
		expect(judge(doc, 'u-absent', (d) => votes(d).set('u-absent', { choice: 'for', at }))).toEqual([
			`vote of u-absent on ${proposal}, who is not marked present`
		]);
		castVote(doc, proposal, A, 'for');
		expect(judge(doc, A, (d) => votes(d).set(A, { choice: 'against', at }))).toEqual([`vote of ${A} on ${proposal} changed: each participant votes once`]);
		expect(judge(doc, B, (d) => votes(d).set(B, { choice: 'maybe', at }))).toEqual([`vote of ${B} on ${proposal}.choice not one of for/against/abstain`]);
	});

	it('records at the close the tally its counted votes give, and never changes it afterwards', () => {
		const { doc, proposal } = meeting();
		openVote(doc, proposal, CHAIR);
		castVote(doc, proposal, A, 'for');
		castVote(doc, proposal, B, 'against');
		const p = (d: Y.Doc) => d.getMap('proposals').get(proposal) as Y.Map<unknown>;
		const forged = (d: Y.Doc) =>
			d.transact(() => {
				p(d).set('status', 'closed');
				p(d).set('tally', { for: 5, against: 0, abstain: 0 });
				p(d).set('result', 'adopted');
				p(d).set('counted', [A, B]);
			});
		expect(judge(doc, CHAIR, forged)).toEqual([`proposal ${proposal} closed with a tally or result its counted votes do not give`]);
		expect(judge(doc, CHAIR, (d) => closeVote(d, proposal, CHAIR))).toEqual([]);
		closeVote(doc, proposal, CHAIR);
		expect(judge(doc, CHAIR, (d) => p(d).set('result', 'adopted'))).toEqual([`proposal ${proposal} recorded tally changed after the close`]);
	});

	it('judges what a map overwrite does, whatever its wire shape', () => {
		// a vote overwritten in place: on the wire a new item whose origin is the old value
		const { doc, proposal } = meeting();
		openVote(doc, proposal, CHAIR);
		castVote(doc, proposal, B, 'for');
		const tablet = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(doc));
		const updates: Uint8Array[] = [];
		tablet.on('update', (u: Uint8Array) => updates.push(u));
		((tablet.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>).set(B, { choice: 'against', at: new Date().toISOString() });
		// the delete set stripped: structs only
		expect(Y.decodeUpdate(updates[0]).ds.clients.size).toBe(1);
		const stripped = stripDeleteSet(updates[0]);
		expect(Y.decodeUpdate(stripped).ds.clients.size).toBe(0);
		expect((Y.decodeUpdate(stripped).structs[0] as Y.Item).parent).toBeNull(); // no parent on the wire
		expect(judge(doc, A, (d) => Y.applyUpdate(d, stripped))).toEqual([`vote of ${B} on ${proposal} cast by ${A}`]);
	});
});
