import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, confirmAgreement, draftAgreement, listParties, registerCase, takeStep, type Intake } from './dispute-doc.ts';
import { disputeChangeViolations, type DisputeActor } from './dispute-rules.ts';
import { PLAIN_WEEK } from './work-calendar.ts';

const intake: Intake = {
	communityId: 'c1',
	gridId: 'g1',
	type: 'property',
	summary: '物业费争议',
	source: 'walkIn',
	urgency: 'normal',
	grade: 'difficult',
	lng: null,
	lat: null,
	parties: [
		{ householdId: 'h1', name: '王建国', phone: '' },
		{ householdId: null, name: '某物业公司', phone: '0571-1234567' }
	]
};
const actor = (userId: string, roles: DisputeActor['roles'], departments: string[] = []): DisputeActor => ({ userId, roles, departments, isServer: false });
const mediator = actor('u-med', ['mediator']);
const grid = actor('u-grid', ['gridWorker']);
const admin = actor('u-admin', ['admin']);
const housing = actor('u-housing', [], ['housing']);

/** A registered, escalated-to-street case; returns its doc. */
function base(): Y.Doc {
	const doc = new Y.Doc();
	registerCase(doc, intake, { by: 'u-grid', byName: '陈网格', at: '2026-03-02T09:00:00Z' });
	return doc;
}
/** What `mutate` does to a copy of `before`, judged for `who`. */
function judge(before: Y.Doc, who: DisputeActor, mutate: (d: Y.Doc) => void): string[] {
	const after = new Y.Doc();
	Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
	mutate(after);
	return disputeChangeViolations(before, after, who);
}
const me = (a: DisputeActor) => ({ by: a.userId, byName: a.userId, at: '2026-03-03T09:00:00Z' });

describe('dispute rules', () => {
	it('let each role take its own steps', () => {
		const doc = base();
		expect(judge(doc, mediator, (d) => takeStep(d, { action: 'refer', handlerKind: 'user', handlerId: 'u-med', handlerName: '李' }, me(mediator), PLAIN_WEEK))).toEqual([]);
		expect(judge(doc, admin, (d) => takeStep(d, { action: 'dispatch', departments: ['housing'] }, me(admin), PLAIN_WEEK))).toEqual([]);
		expect(judge(doc, mediator, (d) => addNote(d, 'contact', '电话联系物业', me(mediator)))).toEqual([]);
	});

	it('refuse a step in someone else’s name, or by a role that may not take it', () => {
		const doc = base();
		const forged = judge(doc, grid, (d) => takeStep(d, { action: 'refer', handlerKind: 'user', handlerId: 'u-grid', handlerName: '陈' }, me(mediator), PLAIN_WEEK));
		expect(forged.join('\n')).toMatch(/in the name of u-med/);
		expect(forged.join('\n')).toMatch(/not open to roles gridWorker/);
		expect(judge(doc, grid, (d) => takeStep(d, { action: 'dispatch', departments: ['housing'] }, me(grid), PLAIN_WEEK))).not.toEqual([]);
	});

	it('let only a department’s own members sign for it', () => {
		const doc = base();
		takeStep(doc, { action: 'dispatch', departments: ['housing', 'police'] }, me(admin), PLAIN_WEEK);
		expect(judge(doc, housing, (d) => takeStep(d, { action: 'signFor', departments: ['housing'] }, me(housing), PLAIN_WEEK))).toEqual([]);
		const other = judge(doc, housing, (d) => takeStep(d, { action: 'signFor', departments: ['police'] }, me(housing), PLAIN_WEEK));
		expect(other).toHaveLength(1);
		expect(other[0]).toMatch(/department police by a non-member/);
	});

	it('keep the step log and notes append-only', () => {
		const doc = base();
		addNote(doc, 'note', '首次约谈', me(mediator));
		expect(judge(doc, mediator, (d) => d.getArray('steps').delete(0, 1))).toContain('step log rewritten');
		expect(judge(doc, mediator, (d) => d.getArray('notes').delete(0, 1))).toContain('notes rewritten');
	});

	it('keep the server’s receipts and auto-escalations to the server', () => {
		const doc = base();
		const [first] = doc.getArray<{ id: string }>('steps').toArray();
		expect(judge(doc, mediator, (d) => d.getMap('receipts').set(first.id, '2001-01-01T00:00:00Z'))).toContain('receipts are written by the server only');
		const auto = judge(doc, mediator, (d) =>
			d.getArray('steps').push([{ id: 'x1', action: 'autoEscalate', by: 'u-med', byName: '李', at: '2026-03-03T09:00:00Z', reason: '超期' }])
		);
		expect(auto.join('\n')).toMatch(/not open to roles mediator/);
		expect(disputeChangeViolations(doc, doc, { userId: 'system', roles: [], departments: [], isServer: true })).toEqual([]);
	});

	it('never move a case to another community or rewrite who registered it', () => {
		const doc = base();
		expect(judge(doc, admin, (d) => d.getMap('case').set('communityId', 'c2'))).toContain('case place or registration rewritten');
		expect(judge(doc, grid, (d) => d.getMap('case').set('summary', '无'))).toContain('case details changed by someone not handling it');
	});

	it('record each party’s confirmation in the actor’s own name, and nothing after the freeze', () => {
		const doc = base();
		draftAgreement(doc, '协议内容', me(mediator));
		const [p1] = listParties(doc);
		expect(judge(doc, mediator, (d) => confirmAgreement(d, p1.id, me(mediator)))).toEqual([]);
		expect(judge(doc, mediator, (d) => confirmAgreement(d, p1.id, me(grid))).join('\n')).toMatch(/in the name of u-grid/);
		expect(judge(doc, mediator, (d) => d.getMap('agreement').set('frozenHash', 'abc'))).toContain('the agreement is frozen by the server only');
		doc.getMap('agreement').set('frozenHash', 'abc');
		expect(judge(doc, mediator, (d) => d.getMap('agreement').set('text', '改过的协议'))).toContain('the agreement is frozen');
	});

	it('refuse oversized values and a flood of steps', () => {
		const doc = base();
		expect(judge(doc, mediator, (d) => addNote(d, 'note', 'x', me(mediator)))).toEqual([]);
		const big = judge(doc, mediator, (d) =>
			d.getArray('notes').push([{ id: 'n1', kind: 'note', text: 'x'.repeat(5_001), by: 'u-med', byName: '李', at: '2026-03-03T09:00:00Z' }])
		);
		expect(big.join('\n')).toMatch(/malformed/);
		const flood = judge(doc, mediator, (d) =>
			d.getArray('steps').push(Array.from({ length: 60 }, (_, i) => ({ id: `r${i}`, action: 'remind', by: 'u-med', byName: '李', at: '2026-03-03T09:00:00Z' })))
		);
		expect(flood.join('\n')).toMatch(/60 steps in one update/);
	});
});
