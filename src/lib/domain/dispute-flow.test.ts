import { describe, expect, it } from 'vitest';
import { boardColumn, dueForAutoEscalation, overdueOf } from './dispute-deadlines.ts';
import { disputeFigures } from './dispute-figures.ts';
import { DEFAULT_POLICY, foldCase, orderSteps, possibleActions } from './dispute-flow.ts';
import type { Step } from './dispute-schema.ts';
import { makeWorkCalendar, PLAIN_WEEK } from './work-calendar.ts';

let n = 0;
const step = (action: Step['action'], at: string, extra: Partial<Step> = {}): Step => ({
	id: `s${String(++n).padStart(4, '0')}`,
	action,
	by: extra.by ?? 'u-mediator',
	byName: '李调解',
	at,
	...extra
});
const noReceipts = new Map<string, string>();
const fold = (steps: Step[], receipts: Map<string, string> = noReceipts) => foldCase(steps, receipts, PLAIN_WEEK);

describe('a case through the four lists', () => {
	it('goes intake → handling → feedback → closed, with who and when', () => {
		const steps = [
			step('register', '2026-03-02T09:00:00+08:00', { grade: 'simple', by: 'u-grid' }),
			step('refer', '2026-03-02T10:00:00+08:00', { handlerKind: 'user', handlerId: 'u-mediator', handlerName: '李调解' }),
			step('recordOutcome', '2026-03-04T16:00:00+08:00', { outcome: 'success' }),
			step('followUp', '2026-03-12T10:00:00+08:00', { satisfaction: 'satisfied' })
		];
		const after = (k: number) => fold(steps.slice(0, k));
		expect(after(1)).toMatchObject({ stage: 'intake', level: 'grid', deadline: '2026-03-03T15:59:59.999Z' });
		// simple: handled within 3 working days of the referral
		expect(after(2)).toMatchObject({ stage: 'handling', handler: { id: 'u-mediator' }, deadline: '2026-03-05T15:59:59.999Z' });
		expect(after(3)).toMatchObject({ stage: 'feedback', outcome: 'success', followUpDue: '2026-03-13T15:59:59.999Z' });
		const closed = after(4);
		expect(closed).toMatchObject({ stage: 'closed', superseded: [] });
		expect(closed.applied.map((s) => s.action)).toEqual(['register', 'refer', 'recordOutcome', 'followUp']);
		expect(possibleActions(closed)).toEqual([]);
	});

	it('sets the owning level from the grade: simple grid, complex community, difficult street', () => {
		expect(fold([step('register', '2026-03-02T09:00:00Z', { grade: 'simple' })]).level).toBe('grid');
		expect(fold([step('register', '2026-03-02T09:00:00Z', { grade: 'complex' })]).level).toBe('community');
		expect(fold([step('register', '2026-03-02T09:00:00Z', { grade: 'difficult' })]).level).toBe('street');
	});

	it('turns a liaison member’s lead into a case only when a mediator accepts it, or declines it with a reason', () => {
		const lead = step('reportLead', '2026-03-02T09:00:00Z', { grade: 'simple', by: 'u-liaison' });
		expect(fold([lead]).stage).toBe('lead');
		const accepted = fold([lead, step('acceptLead', '2026-03-02T10:00:00Z', { grade: 'complex' })]);
		expect(accepted).toMatchObject({ stage: 'intake', level: 'community', registeredAt: '2026-03-02T10:00:00Z' });
		const noReason = fold([lead, step('declineLead', '2026-03-02T10:00:00Z')]);
		expect(noReason.stage).toBe('lead');
		expect(noReason.superseded[0].code).toBe('invalidStep');
		const declined = fold([lead, step('declineLead', '2026-03-02T10:00:00Z', { reason: '属于正常邻里往来，无纠纷' })]);
		expect(declined.stage).toBe('declined');
	});

	it('reopens a case on a dissatisfied follow-up and counts it', () => {
		const steps = [
			step('register', '2026-03-02T09:00:00Z', { grade: 'complex' }),
			step('refer', '2026-03-02T10:00:00Z', { handlerKind: 'user', handlerId: 'u-mediator', handlerName: '李调解' }),
			step('recordOutcome', '2026-03-05T10:00:00Z', { outcome: 'partial' }),
			step('followUp', '2026-03-16T10:00:00Z', { satisfaction: 'dissatisfied' })
		];
		const reopened = fold(steps);
		expect(reopened).toMatchObject({ stage: 'handling', reopened: 1, outcome: null });
		const again = fold([...steps, step('recordOutcome', '2026-03-20T10:00:00Z', { outcome: 'success' })]);
		expect(again).toMatchObject({ stage: 'feedback', outcome: 'success', reopened: 1 });
	});

	it('refuses malformed steps: a failed outcome with no route, eleven departments, a refer with no handler', () => {
		const base = [step('register', '2026-03-02T09:00:00Z', { grade: 'difficult' })];
		const bad = [
			step('dispatch', '2026-03-02T10:00:00Z', { departments: Array.from({ length: 11 }, (_, i) => `d${i}`) }),
			step('refer', '2026-03-02T10:00:00Z', { handlerKind: 'user' }),
			step('dispatch', '2026-03-02T11:00:00Z', { departments: ['police', 'police'] })
		];
		const s = fold([...base, ...bad]);
		expect(s.stage).toBe('intake');
		expect(s.superseded.map((x) => x.code)).toEqual(['invalidStep', 'invalidStep', 'invalidStep']);
		const failed = fold([
			...base,
			step('refer', '2026-03-02T10:00:00Z', { handlerKind: 'user', handlerId: 'u1', handlerName: '王' }),
			step('recordOutcome', '2026-03-03T10:00:00Z', { outcome: 'failed' })
		]);
		expect(failed.stage).toBe('handling');
		const guided = fold([
			...base,
			step('refer', '2026-03-02T10:00:00Z', { handlerKind: 'user', handlerId: 'u1', handlerName: '王' }),
			step('recordOutcome', '2026-03-03T10:00:00Z', { outcome: 'failed', route: 'litigation' })
		]);
		expect(guided).toMatchObject({ stage: 'feedback', outcome: 'failed', route: 'litigation' });
	});
});

describe('吹哨报到: escalation and departments', () => {
	const start = () => [
		step('register', '2026-03-02T09:00:00Z', { grade: 'simple', by: 'u-grid' }),
		step('escalate', '2026-03-02T10:00:00Z', { reason: '涉及多户，网格无法调处' }),
		step('escalate', '2026-03-03T10:00:00Z', { reason: '需要住建部门' })
	];

	it('climbs grid → community → street, and no further', () => {
		const s = fold(start());
		expect(s).toMatchObject({ level: 'street', stage: 'intake', escalations: 2 });
		const beyond = fold([...start(), step('escalate', '2026-03-04T10:00:00Z', { reason: '再上报' })]);
		expect(beyond.superseded.map((x) => x.code)).toEqual(['stageMoved']);
	});

	it('whistles departments that sign, report in, feed back or return the case', () => {
		const steps = [
			...start(),
			step('dispatch', '2026-03-04T09:00:00Z', { by: 'u-admin', departments: ['housing', 'police'] }),
			step('signFor', '2026-03-04T11:00:00Z', { by: 'u-housing', departments: ['housing'] }),
			step('reportIn', '2026-03-04T12:00:00Z', { by: 'u-housing', departments: ['housing'], reason: '明日现场查看漏水' }),
			step('returnCase', '2026-03-04T13:00:00Z', { by: 'u-police', departments: ['police'], reason: '不属于治安案件' }),
			step('signFor', '2026-03-04T14:00:00Z', { by: 'u-market', departments: ['market'] }),
			step('departmentFeedback', '2026-03-06T10:00:00Z', { by: 'u-housing', departments: ['housing'], reason: '已维修' })
		];
		const s = fold(steps);
		expect(s.stage).toBe('handling');
		expect(s.departments.map((d) => [d.id, d.state])).toEqual([
			['housing', 'fedBack'],
			['police', 'returned']
		]);
		expect(s.superseded.map((x) => [x.step.departments?.[0], x.code])).toEqual([['market', 'departmentNotWhistled']]);
	});

	it('hands the case back to the street’s intake when every department returned it', () => {
		const s = fold([
			...start(),
			step('dispatch', '2026-03-04T09:00:00Z', { by: 'u-admin', departments: ['police'] }),
			step('returnCase', '2026-03-04T13:00:00Z', { by: 'u-police', departments: ['police'], reason: '不属于治安案件' })
		]);
		expect(s).toMatchObject({ stage: 'intake', level: 'street' });
	});
});

describe('the conflict rule: the server’s receive order decides, the loser is told', () => {
	const base = [
		step('register', '2026-03-02T09:00:00Z', { grade: 'simple' }),
		step('refer', '2026-03-02T10:00:00Z', { handlerKind: 'user', handlerId: 'u-mediator', handlerName: '李调解' })
	];
	// made offline on two tablets: success at 10:00, an escalation at 11:00 (device clocks)
	const success = step('recordOutcome', '2026-03-03T10:00:00Z', { outcome: 'success', by: 'u-mediator' });
	const escalation = step('escalate', '2026-03-03T11:00:00Z', { reason: '当事人要求上级调解', by: 'u-police' });
	const receipts = new Map<string, string>([
		[base[0].id, '2026-03-02T09:00:01Z'],
		[base[1].id, '2026-03-02T10:00:01Z'],
		// the escalation reached the server first
		[escalation.id, '2026-03-03T12:00:00Z'],
		[success.id, '2026-03-03T12:00:05Z']
	]);

	it('applies the step the server received first and supersedes the other, naming the winner', () => {
		const s = fold([...base, success, escalation], receipts);
		expect(s).toMatchObject({ stage: 'intake', level: 'community', outcome: null });
		expect(s.superseded).toHaveLength(1);
		expect(s.superseded[0]).toMatchObject({ step: { id: success.id }, code: 'stageMoved', overtakenBy: { id: escalation.id } });
	});

	it('gives every device the same state, whatever order its copy holds the steps in', () => {
		const all = [...base, success, escalation];
		const canonical = JSON.stringify(fold(all, receipts));
		const permutations = (xs: Step[]): Step[][] =>
			xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
		const all24 = permutations(all);
		expect(all24).toHaveLength(24);
		for (const order of all24) expect(JSON.stringify(fold(order, receipts))).toBe(canonical);
	});

	it('does not let a back-dated device clock jump the queue once the server has received the steps', () => {
		const backdated = { ...success, at: '2001-01-01T00:00:00Z' };
		const s = fold([...base, backdated, escalation], receipts);
		expect(s.superseded[0].step.id).toBe(success.id);
		// before the server answers, the device's provisional order puts its own steps last
		expect(orderSteps([...base, backdated], new Map([[base[0].id, 'x'], [base[1].id, 'y']])).at(-1)?.id).toBe(success.id);
	});

	it('takes deadlines from the server’s receive time, not the device clock', () => {
		const s = fold([...base, { ...escalation, at: '2001-01-01T00:00:00Z' }], receipts);
		expect(s.deadline).toBe('2026-03-04T15:59:59.999Z');
	});
});

describe('deadlines, supervision and the board', () => {
	const calendar = makeWorkCalendar(['2026-04-06'], []); // Qingming Monday off
	const steps = [
		step('register', '2026-04-01T09:00:00+08:00', { grade: 'simple' }),
		step('refer', '2026-04-01T10:00:00+08:00', { handlerKind: 'user', handlerId: 'u-mediator', handlerName: '李调解' })
	];
	const s = foldCase(steps, noReceipts, calendar, DEFAULT_POLICY);

	it('counts the handling limit in working days across a holiday', () => {
		// Thu 2, Fri 3, (Sat, Sun, Mon 6 off) Tue 7
		expect(s.deadline).toBe('2026-04-07T15:59:59.999Z');
		expect(overdueOf(s, '2026-04-07T20:00:00+08:00', calendar)).toEqual([]);
		expect(overdueOf(s, '2026-04-08T09:00:00+08:00', calendar)).toEqual([{ who: 'case', deadline: s.deadline, workingDays: 1 }]);
	});

	it('escalates by itself only beyond the margin, and never above the street', () => {
		expect(dueForAutoEscalation(s, '2026-04-09T09:00:00+08:00', calendar, DEFAULT_POLICY)).toBe(false);
		expect(dueForAutoEscalation(s, '2026-04-10T09:00:00+08:00', calendar, DEFAULT_POLICY)).toBe(true);
		const atStreet = foldCase([step('register', '2026-04-01T09:00:00+08:00', { grade: 'difficult' })], noReceipts, calendar);
		expect(dueForAutoEscalation(atStreet, '2026-05-01T09:00:00+08:00', calendar, DEFAULT_POLICY)).toBe(false);
		const escalated = foldCase(
			[...steps, step('autoEscalate', '2026-04-10T09:00:00+08:00', { by: 'system', reason: '超期自动上报' })],
			noReceipts,
			calendar
		);
		expect(escalated).toMatchObject({ level: 'community', autoEscalations: 1, stage: 'intake' });
	});

	it('moves a case from 结果反馈 to 跟踪回访 on the day its follow-up is due', () => {
		const fed = foldCase([...steps, step('recordOutcome', '2026-04-02T10:00:00+08:00', { outcome: 'success' })], noReceipts, calendar);
		expect(boardColumn(fed, '2026-04-03T10:00:00+08:00')).toBe('feedback');
		expect(boardColumn(fed, '2026-04-13T10:00:00+08:00')).toBe('feedback'); // 7 working days: Apr 3, 7, 8, 9, 10, 13, 14
		expect(boardColumn(fed, '2026-04-14T08:00:00+08:00')).toBe('followUp');
		expect(boardColumn(s, '2026-04-03T10:00:00+08:00')).toBe('handling');
	});
});

describe('figures', () => {
	const mk = (grade: 'simple' | 'complex' | 'difficult', outcome: 'success' | 'partial' | 'failed' | null, escalate = 0, extra: Step[] = []) => {
		const steps: Step[] = [step('register', '2026-05-04T09:00:00Z', { grade })];
		for (let i = 0; i < escalate; i++) steps.push(step('escalate', '2026-05-04T10:00:00Z', { reason: '上报' }));
		steps.push(step('refer', '2026-05-04T11:00:00Z', { handlerKind: 'user', handlerId: 'u', handlerName: '王' }));
		if (outcome) steps.push(step('recordOutcome', '2026-05-06T09:00:00Z', { outcome, route: outcome === 'failed' ? 'litigation' : undefined }));
		return fold([...steps, ...extra]);
	};

	it('reports received, resolved, 化解率, 矛盾不上交率, days to resolve, follow-ups and reopened cases', () => {
		const cases = [
			mk('simple', 'success'),
			mk('simple', 'partial', 0, [step('followUp', '2026-05-15T09:00:00Z', { satisfaction: 'satisfied' })]),
			mk('complex', 'success'),
			mk('simple', 'failed', 2),
			mk('simple', 'failed'),
			mk('simple', null),
			mk('simple', 'success', 0, [
				step('followUp', '2026-05-15T09:00:00Z', { satisfaction: 'dissatisfied' }),
				step('recordOutcome', '2026-05-16T09:00:00Z', { outcome: 'success' })
			])
		];
		const f = disputeFigures(cases, '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z');
		expect(f).toMatchObject({ received: 7, resolved: 4, followUpsDone: 2, reopened: 1 });
		expect(f.resolutionRate).toBeCloseTo(4 / 7);
		expect(f.resolvedByLevel).toEqual({ grid: 3, community: 1, street: 0 });
		expect(f.resolvedLocallyRate).toBe(1);
		// three resolved in 2 days minus an hour, one after its reopening in 12 days minus an hour
		expect(f.averageDaysToResolve).toBe(4.5);
		expect(disputeFigures(cases, '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).toMatchObject({ received: 0, resolutionRate: null });
	});
});
