import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addNote,
	agreementComplete,
	confirmAgreement,
	draftAgreement,
	intakeProblems,
	listNotes,
	listParties,
	readAgreement,
	readCaseInfo,
	readCaseState,
	registerCase,
	takeStep,
	type Intake
} from './dispute-doc.ts';
import { DomainError } from './grid-doc.ts';
import { PLAIN_WEEK } from './work-calendar.ts';

const intake = (over: Partial<Intake> = {}): Intake => ({
	communityId: 'c1',
	gridId: 'g1',
	type: 'neighbour',
	summary: '楼上漏水，两户多次争吵',
	source: 'visit',
	urgency: 'normal',
	grade: 'simple',
	lng: 120.5,
	lat: 29.7,
	parties: [
		{ householdId: 'h1', name: '王建国', phone: '' },
		{ householdId: null, name: '赵丽', phone: '13800000000' }
	],
	...over
});
const grid = { by: 'u-grid', byName: '陈网格', at: '2026-03-02T09:00:00Z' };
const mediator = { by: 'u-med', byName: '李调解', at: '2026-03-02T10:00:00Z' };
const police = { by: 'u-pol', byName: '周警官', at: '2026-03-02T10:05:00Z' };

const sync = (a: Y.Doc, b: Y.Doc) => {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('intake', () => {
	it('registers a case with its parties, by whom and when', () => {
		const doc = new Y.Doc();
		registerCase(doc, intake(), grid);
		expect(readCaseInfo(doc)).toMatchObject({ communityId: 'c1', type: 'neighbour', createdByName: '陈网格' });
		expect(listParties(doc).map((p) => p.name).sort()).toEqual(['王建国', '赵丽']);
		expect(readCaseState(doc, PLAIN_WEEK)).toMatchObject({ stage: 'intake', level: 'grid', registeredAt: grid.at });
	});

	it('names every problem of an incomplete intake as a code, and writes nothing', () => {
		expect(intakeProblems(intake({ parties: [] }))).toEqual(['partyRequired']);
		expect(intakeProblems(intake({ summary: '  ', type: 'brawl' as never, lng: 200 }))).toEqual(['typeRequired', 'summaryRequired', 'placeInvalid']);
		expect(intakeProblems(intake({ parties: [{ householdId: null, name: '路人', phone: '' }] }))).toEqual(['partyPhoneRequired']);
		const doc = new Y.Doc();
		expect(() => registerCase(doc, intake({ parties: [] }), grid)).toThrow(DomainError);
		expect(readCaseInfo(doc)).toBeNull();
	});

	it('does not register one case twice', () => {
		const doc = new Y.Doc();
		registerCase(doc, intake(), grid);
		expect(() => registerCase(doc, intake(), grid)).toThrow(/already registered/);
	});
});

describe('two handlers offline', () => {
	it('keep both their notes and contacts', () => {
		const a = new Y.Doc();
		registerCase(a, intake(), grid);
		const b = new Y.Doc();
		sync(a, b);
		addNote(a, 'note', '已分别约谈双方', mediator);
		addNote(b, 'contact', '电话联系物业经理', police);
		sync(a, b);
		expect(listNotes(a).map((n) => n.byName)).toEqual(['李调解', '周警官']);
		expect(listNotes(b)).toEqual(listNotes(a));
	});

	it('agree on the case when one records success and the other escalates, and the loser can see it', () => {
		const a = new Y.Doc();
		registerCase(a, intake(), grid);
		takeStep(a, { action: 'refer', handlerKind: 'user', handlerId: 'u-med', handlerName: '李调解' }, mediator, PLAIN_WEEK);
		const b = new Y.Doc();
		sync(a, b);
		const success = takeStep(a, { action: 'recordOutcome', outcome: 'success' }, { ...mediator, at: '2026-03-03T10:00:00Z' }, PLAIN_WEEK);
		const up = takeStep(b, { action: 'escalate', reason: '当事人要求社区调解' }, { ...police, at: '2026-03-03T11:00:00Z' }, PLAIN_WEEK);
		sync(a, b);
		// before the server has stamped the two steps, devices order them by device time
		expect(readCaseState(a, PLAIN_WEEK)).toEqual(readCaseState(b, PLAIN_WEEK));
		// the server received the escalation first: its receipts decide on every device
		const server = new Y.Doc();
		sync(a, server);
		server.transact(() => {
			const receipts = server.getMap<string>('receipts');
			const [register, refer] = server.getArray<{ id: string }>('steps').toArray();
			receipts.set(register.id, '2026-03-02T09:00:01Z');
			receipts.set(refer.id, '2026-03-02T10:00:01Z');
			receipts.set(up.id, '2026-03-03T12:00:00Z');
			receipts.set(success.id, '2026-03-03T12:00:09Z');
		});
		sync(server, a);
		sync(server, b);
		for (const d of [a, b]) {
			const s = readCaseState(d, PLAIN_WEEK);
			expect(s).toMatchObject({ stage: 'intake', level: 'community' });
			expect(s.superseded.map((x) => [x.step.byName, x.overtakenBy?.byName])).toEqual([['李调解', '周警官']]);
		}
	});

	it('record one step for a repeated tap', () => {
		const doc = new Y.Doc();
		registerCase(doc, intake(), grid);
		const input = { action: 'refer' as const, handlerKind: 'user' as const, handlerId: 'u-med', handlerName: '李调解' };
		takeStep(doc, input, mediator, PLAIN_WEEK, 'tap-1');
		expect(() => takeStep(doc, input, mediator, PLAIN_WEEK, 'tap-1')).toThrow(/not open/);
		expect(readCaseState(doc, PLAIN_WEEK).applied).toHaveLength(2);
	});

	it('refuse a step the case is not open to', () => {
		const doc = new Y.Doc();
		registerCase(doc, intake(), grid);
		expect(() => takeStep(doc, { action: 'followUp', satisfaction: 'satisfied' }, mediator, PLAIN_WEEK)).toThrow(/not open/);
		expect(() => takeStep(doc, { action: 'escalate' }, mediator, PLAIN_WEEK)).toThrow(/missing/);
	});
});

describe('the mediation agreement', () => {
	it('is complete when every party confirmed the text they were shown; a redraft asks again', () => {
		const doc = new Y.Doc();
		registerCase(doc, intake(), grid);
		draftAgreement(doc, '王建国于三日内修复漏水，赵丽不再追究。', mediator);
		const [p1, p2] = listParties(doc);
		confirmAgreement(doc, p1.id, mediator);
		expect(agreementComplete(doc)).toBe(false);
		confirmAgreement(doc, p2.id, mediator);
		expect(agreementComplete(doc)).toBe(true);
		draftAgreement(doc, '王建国于五日内修复漏水，赵丽不再追究。', mediator);
		expect(readAgreement(doc)?.confirmations).toEqual([]);
		expect(() => confirmAgreement(doc, 'nobody', mediator)).toThrow(/no party/);
	});
});
