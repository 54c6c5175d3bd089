/**
 * The life of a dispute case: what its steps add up to.
 *
 * A case document keeps an append-only log of steps (dispute-schema.ts `Step`); its state —
 * which list it is in, who handles it, which departments were whistled and how far each got —
 * is never stored, it is folded from the log here. Two handlers working offline each append
 * their steps, and every device folds the same log to the same state.
 *
 * The conflict rule. Steps apply in the order the server received them (the server stamps
 * each step's receive time in the document's `receipts`, see dispute-doc.ts); steps this device
 * has not heard back about yet come after all received ones, by their device time, then id.
 * A step that no longer fits the case when its turn comes — a mediator recorded 调解成功 while a
 * colleague had already escalated the case — is kept in the log but does not apply: it is
 * `superseded`, with the step that moved the case before it, and its author is told (the
 * board shows "your step was overtaken by X's step"). Once the server has received every
 * step, the order, and so the state, is the same on every device and cannot change again.
 *
 * Deadlines come from the deployment's working-day calendar and policy (dispute-deadlines.ts);
 * they do not decide what applies, so a device with an older calendar still agrees on the
 * state and differs at most in a date it shows.
 */
import type { Role } from './roles.ts';
import {
	GRADES,
	GUIDANCE_ROUTES,
	HANDLER_KINDS,
	isOneOf,
	isText,
	LEVEL_OF_GRADE,
	LIMITS,
	OUTCOMES,
	SATISFACTIONS,
	type CaseLevel,
	type DepartmentState,
	type Grade,
	type GuidanceRoute,
	type HandlerKind,
	type Outcome,
	type Satisfaction,
	type Stage,
	type Step,
	type StepAction
} from './dispute-schema.ts';
import { deadlineAfter, type WorkCalendar } from './work-calendar.ts';

/** Time limits in working days (时限), a deployment setting. */
export interface DeadlinePolicy {
	/** To accept or decline a lead, to refer a registered case, for a department to sign. */
	signDays: number;
	/** To handle a case once referred (or signed for by a department), by grade. */
	handleDays: Readonly<Record<Grade, number>>;
	/** After the outcome, when the follow-up visit is due. */
	followUpDays: number;
	/** Working days overdue after which a case escalates by itself to the next level. */
	escalateAfterDays: number;
}

export const DEFAULT_POLICY: DeadlinePolicy = {
	signDays: 1,
	handleDays: { simple: 3, complex: 15, difficult: 30 },
	followUpDays: 7,
	escalateAfterDays: 2
};

export interface Handler {
	kind: HandlerKind;
	id: string;
	name: string;
}

export interface DepartmentCase {
	id: string;
	state: DepartmentState;
	/** When the department reached this state. */
	since: string;
	/** Its current time limit (to sign, then to act), null once it fed back or returned. */
	deadline: string | null;
	/** What it said it will do (报到), its result, or why it returned the case. */
	text: string;
}

export interface Superseded {
	step: Step;
	/** Why it did not apply (a code the UI translates). */
	code: 'stageMoved' | 'notFirst' | 'invalidStep' | 'departmentNotWhistled' | 'departmentState';
	/** The applied step that moved the case before this one, if any. */
	overtakenBy: Step | null;
}

export interface CaseState {
	/** null for an empty log (a document still loading). */
	stage: Stage | null;
	level: CaseLevel;
	grade: Grade | null;
	handler: Handler | null;
	departments: DepartmentCase[];
	caseOwner: { id: string; name: string } | null;
	outcome: Outcome | null;
	route: GuidanceRoute | null;
	/** When the case was first registered or accepted as a case (not as a lead). */
	registeredAt: string | null;
	outcomeAt: string | null;
	closedAt: string | null;
	/** The time limit of the step the case waits for. */
	deadline: string | null;
	/** When the follow-up visit is due (after an outcome). */
	followUpDue: string | null;
	escalations: number;
	autoEscalations: number;
	reopened: number;
	followUps: { satisfaction: Satisfaction; by: string; at: string }[];
	reminders: number;
	/** The applied steps in order. */
	applied: Step[];
	superseded: Superseded[];
}

/**
 * The steps in the order they apply: received steps by the server's receive time (ties by id),
 * then the ones the server has not acknowledged yet by device time and id.
 */
export function orderSteps(steps: readonly Step[], receipts: ReadonlyMap<string, string>): Step[] {
	const key = (s: Step) => receipts.get(s.id);
	return [...steps].sort((a, b) => {
		const ra = key(a);
		const rb = key(b);
		if (ra !== undefined && rb === undefined) return -1;
		if (ra === undefined && rb !== undefined) return 1;
		const ta = ra ?? a.at;
		const tb = rb ?? b.at;
		return ta < tb ? -1 : ta > tb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
	});
}

/** Whether a step carries the fields its action needs (shape only; the flow checks the rest). */
export function stepShapeOk(s: Step): boolean {
	if (!isText(s.id, LIMITS.id) || !isText(s.by, LIMITS.id) || typeof s.at !== 'string' || Number.isNaN(Date.parse(s.at))) return false;
	if (s.reason !== undefined && !isText(s.reason, LIMITS.reason, true)) return false;
	const reasonRequired = () => isText(s.reason, LIMITS.reason);
	const oneDepartment = () => Array.isArray(s.departments) && s.departments.length === 1 && isText(s.departments[0], LIMITS.id);
	switch (s.action) {
		case 'reportLead':
		case 'register':
		case 'acceptLead':
			return isOneOf(GRADES, s.grade);
		case 'declineLead':
		case 'escalate':
		case 'autoEscalate':
			return reasonRequired();
		case 'refer':
			return isOneOf(HANDLER_KINDS, s.handlerKind) && isText(s.handlerId, LIMITS.id) && isText(s.handlerName, LIMITS.name);
		case 'dispatch':
			return (
				Array.isArray(s.departments) &&
				s.departments.length > 0 &&
				s.departments.length <= LIMITS.departments &&
				s.departments.every((d) => isText(d, LIMITS.id)) &&
				new Set(s.departments).size === s.departments.length
			);
		case 'signFor':
			return oneDepartment();
		case 'reportIn':
		case 'departmentFeedback':
		case 'returnCase':
			return oneDepartment() && reasonRequired();
		case 'setCaseOwner':
			return isText(s.handlerId, LIMITS.id) && isText(s.handlerName, LIMITS.name);
		case 'recordOutcome':
			return isOneOf(OUTCOMES, s.outcome) && (s.outcome !== 'failed' || isOneOf(GUIDANCE_ROUTES, s.route));
		case 'followUp':
			return isOneOf(SATISFACTIONS, s.satisfaction);
		case 'remind':
			return true;
	}
}

const NEXT_LEVEL: Readonly<Record<CaseLevel, CaseLevel | null>> = { grid: 'community', community: 'street', street: null };

/** The level above `level`, or null at the street (大事不出镇). */
export function nextLevel(level: CaseLevel): CaseLevel | null {
	return NEXT_LEVEL[level];
}

const ACTIVE_DEPARTMENT: readonly DepartmentState[] = ['whistled', 'signed', 'reported'];

/**
 * Folds a case's steps into its state. `receipts` maps step ids to the server's receive time;
 * `calendar` and `policy` only set the deadlines.
 */
export function foldCase(
	steps: readonly Step[],
	receipts: ReadonlyMap<string, string>,
	calendar: WorkCalendar,
	policy: DeadlinePolicy = DEFAULT_POLICY
): CaseState {
	const st: CaseState = {
		stage: null,
		level: 'grid',
		grade: null,
		handler: null,
		departments: [],
		caseOwner: null,
		outcome: null,
		route: null,
		registeredAt: null,
		outcomeAt: null,
		closedAt: null,
		deadline: null,
		followUpDue: null,
		escalations: 0,
		autoEscalations: 0,
		reopened: 0,
		followUps: [],
		reminders: 0,
		applied: [],
		superseded: []
	};
	let lastMove: Step | null = null;
	const limit = (from: string, days: number) => deadlineAfter(from, days, calendar);

	for (const s of orderSteps(steps, receipts)) {
		// the time a step counts from: the server's when it has it (a device clock can be wrong)
		const t = receipts.get(s.id) ?? s.at;
		const supersede = (code: Superseded['code']) => st.superseded.push({ step: s, code, overtakenBy: lastMove });
		if (!stepShapeOk(s)) {
			supersede('invalidStep');
			continue;
		}
		const stage = st.stage;
		const dept = s.departments?.[0];
		const deptCase = dept === undefined ? undefined : st.departments.find((d) => d.id === dept);
		let moved = true;
		switch (s.action) {
			case 'reportLead':
			case 'register': {
				if (stage !== null) {
					supersede('notFirst');
					continue;
				}
				const grade = s.grade as Grade;
				st.grade = grade;
				st.level = LEVEL_OF_GRADE[grade];
				st.stage = s.action === 'register' ? 'intake' : 'lead';
				if (s.action === 'register') st.registeredAt = t;
				st.deadline = limit(t, policy.signDays);
				break;
			}
			case 'acceptLead':
			case 'declineLead':
				if (stage !== 'lead') {
					supersede('stageMoved');
					continue;
				}
				if (s.action === 'declineLead') {
					st.stage = 'declined';
					st.deadline = null;
					st.closedAt = t;
				} else {
					st.grade = s.grade as Grade;
					st.level = LEVEL_OF_GRADE[st.grade];
					st.stage = 'intake';
					st.registeredAt = t;
					st.deadline = limit(t, policy.signDays);
				}
				break;
			case 'refer':
				if (stage !== 'intake') {
					supersede('stageMoved');
					continue;
				}
				st.handler = { kind: s.handlerKind as HandlerKind, id: s.handlerId as string, name: s.handlerName as string };
				st.stage = 'handling';
				st.deadline = limit(t, policy.handleDays[st.grade ?? 'simple']);
				break;
			case 'escalate':
			case 'autoEscalate': {
				const up = nextLevel(st.level);
				if ((stage !== 'intake' && stage !== 'handling') || up === null) {
					supersede('stageMoved');
					continue;
				}
				st.level = up;
				st.stage = 'intake';
				st.handler = null;
				st.escalations++;
				if (s.action === 'autoEscalate') st.autoEscalations++;
				st.deadline = limit(t, policy.signDays);
				break;
			}
			case 'dispatch': {
				if ((stage !== 'intake' && stage !== 'handling') || st.level !== 'street') {
					supersede('stageMoved');
					continue;
				}
				for (const id of s.departments ?? []) {
					const existing = st.departments.find((d) => d.id === id);
					const fresh: DepartmentCase = { id, state: 'whistled', since: t, deadline: limit(t, policy.signDays), text: '' };
					if (existing && ACTIVE_DEPARTMENT.includes(existing.state)) continue;
					if (existing) Object.assign(existing, fresh);
					else st.departments.push(fresh);
				}
				st.stage = 'handling';
				st.deadline = limit(t, policy.handleDays[st.grade ?? 'simple']);
				break;
			}
			case 'signFor':
			case 'reportIn':
			case 'departmentFeedback':
			case 'returnCase': {
				if (!deptCase) {
					supersede('departmentNotWhistled');
					continue;
				}
				const allowed: Record<typeof s.action, readonly DepartmentState[]> = {
					signFor: ['whistled'],
					reportIn: ['signed'],
					departmentFeedback: ['signed', 'reported'],
					returnCase: ['whistled', 'signed', 'reported']
				};
				if (!allowed[s.action].includes(deptCase.state) || stage !== 'handling') {
					supersede('departmentState');
					continue;
				}
				const next: Record<typeof s.action, DepartmentState> = {
					signFor: 'signed',
					reportIn: 'reported',
					departmentFeedback: 'fedBack',
					returnCase: 'returned'
				};
				deptCase.state = next[s.action];
				deptCase.since = t;
				deptCase.text = s.reason ?? deptCase.text;
				deptCase.deadline = s.action === 'signFor' ? limit(t, policy.handleDays[st.grade ?? 'simple']) : s.action === 'reportIn' ? deptCase.deadline : null;
				// every department handed the case back: it is the street's to place again
				if (s.action === 'returnCase' && st.handler === null && st.departments.every((d) => d.state === 'returned')) {
					st.stage = 'intake';
					st.deadline = limit(t, policy.signDays);
				}
				moved = s.action === 'returnCase';
				break;
			}
			case 'setCaseOwner':
				if (stage === null || stage === 'closed' || stage === 'declined') {
					supersede('stageMoved');
					continue;
				}
				st.caseOwner = { id: s.handlerId as string, name: s.handlerName as string };
				moved = false;
				break;
			case 'recordOutcome':
				if (stage !== 'handling') {
					supersede('stageMoved');
					continue;
				}
				st.outcome = s.outcome as Outcome;
				st.route = s.outcome === 'failed' ? (s.route as GuidanceRoute) : null;
				st.outcomeAt = t;
				st.stage = 'feedback';
				st.followUpDue = limit(t, policy.followUpDays);
				st.deadline = st.followUpDue;
				for (const d of st.departments) if (ACTIVE_DEPARTMENT.includes(d.state)) d.deadline = null;
				break;
			case 'followUp': {
				if (stage !== 'feedback') {
					supersede('stageMoved');
					continue;
				}
				const satisfaction = s.satisfaction as Satisfaction;
				st.followUps.push({ satisfaction, by: s.by, at: t });
				if (satisfaction === 'dissatisfied') {
					// 不满意 reopens: back to handling with a fresh time limit
					st.reopened++;
					st.stage = 'handling';
					st.outcome = null;
					st.route = null;
					st.followUpDue = null;
					st.deadline = limit(t, policy.handleDays[st.grade ?? 'simple']);
				} else {
					st.stage = 'closed';
					st.closedAt = t;
					st.deadline = null;
				}
				break;
			}
			case 'remind':
				if (stage === null) {
					supersede('stageMoved');
					continue;
				}
				st.reminders++;
				moved = false;
				break;
		}
		st.applied.push(s);
		if (moved) lastMove = s;
	}
	return st;
}

/** Who may take each step (the server judges it; the UI offers only these). */
export const ACTION_ROLES: Readonly<Record<StepAction, readonly (Role | 'department' | 'system')[]>> = {
	reportLead: ['liaison', 'gridWorker', 'committee', 'policeDeputy', 'mediator', 'admin'],
	acceptLead: ['mediator', 'policeDeputy', 'admin'],
	declineLead: ['mediator', 'policeDeputy', 'admin'],
	register: ['gridWorker', 'committee', 'policeDeputy', 'mediator', 'admin'],
	refer: ['mediator', 'policeDeputy', 'committee', 'admin'],
	escalate: ['gridWorker', 'committee', 'mediator', 'policeDeputy', 'admin'],
	autoEscalate: ['system'],
	dispatch: ['admin'],
	signFor: ['department'],
	reportIn: ['department'],
	departmentFeedback: ['department'],
	returnCase: ['department'],
	setCaseOwner: ['admin'],
	recordOutcome: ['mediator', 'policeDeputy', 'admin', 'department'],
	followUp: ['gridWorker', 'committee', 'mediator', 'policeDeputy', 'admin'],
	remind: ['committee', 'admin']
};

/** The steps open to a case in `state` (by stage; roles are checked separately). */
export function possibleActions(state: CaseState): StepAction[] {
	const out: StepAction[] = [];
	switch (state.stage) {
		case null:
			return ['reportLead', 'register'];
		case 'lead':
			return ['acceptLead', 'declineLead', 'remind'];
		case 'intake':
			out.push('refer');
			break;
		case 'handling':
			out.push('recordOutcome');
			break;
		case 'feedback':
			return ['followUp', 'remind', ...(state.grade === 'difficult' ? (['setCaseOwner'] as const) : [])];
		case 'declined':
		case 'closed':
			return [];
	}
	if (nextLevel(state.level) !== null) out.push('escalate');
	if (state.level === 'street') out.push('dispatch');
	if (state.departments.some((d) => ACTIVE_DEPARTMENT.includes(d.state))) out.push('signFor', 'reportIn', 'departmentFeedback', 'returnCase');
	if (state.grade === 'difficult') out.push('setCaseOwner');
	out.push('remind');
	return out;
}
