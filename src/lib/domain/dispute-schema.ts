/**
 * The vocabulary of a dispute case (矛盾纠纷, glossary.md): the enumerations, the value limits,
 * and the types its document and its flow share. Only data here, no Yjs: the client's forms,
 * the document's mutations and the server's rules all check values against these.
 */

/** 矛盾纠纷类型: the deployment may extend this list; these are the default. */
export const DISPUTE_TYPES = ['neighbour', 'family', 'land', 'property', 'labour', 'consumer', 'other'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

/** 来源: 走访发现, 群众来访, 来电, 网格上报, 110 转来, 信访. */
export const DISPUTE_SOURCES = ['visit', 'walkIn', 'phone', 'gridReport', 'police110', 'petition'] as const;
export type DisputeSource = (typeof DISPUTE_SOURCES)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** 简单 / 复杂 / 疑难: sets the level that owns the case and its time limits. */
export const GRADES = ['simple', 'complex', 'difficult'] as const;
export type Grade = (typeof GRADES)[number];

/** Where a case is owned; a case whistled to departments stays owned by the street. */
export const CASE_LEVELS = ['grid', 'community', 'street'] as const;
export type CaseLevel = (typeof CASE_LEVELS)[number];

/** The level a grade sets at registration: 小事不出村, 大事不出镇. */
export const LEVEL_OF_GRADE: Readonly<Record<Grade, CaseLevel>> = { simple: 'grid', complex: 'community', difficult: 'street' };

/**
 * Where a case stands. `feedback` holds a case from its outcome (结果反馈) until its follow-up
 * visit closes or reopens it; the board shows it under 跟踪回访 once that visit is due
 * (dispute-deadlines.ts), a matter of the clock rather than of a step.
 */
export const STAGES = ['lead', 'declined', 'intake', 'handling', 'feedback', 'closed'] as const;
export type Stage = (typeof STAGES)[number];
/** The columns of the dispute board: the four lists (四张清单). */
export const BOARD_COLUMNS = ['intake', 'handling', 'feedback', 'followUp'] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

/** 调解成功 / 部分达成 / 未达成. */
export const OUTCOMES = ['success', 'partial', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Where a failed mediation guides the parties: 引导诉讼、仲裁、信访. */
export const GUIDANCE_ROUTES = ['litigation', 'arbitration', 'petition'] as const;
export type GuidanceRoute = (typeof GUIDANCE_ROUTES)[number];

/** 满意 / 基本满意 / 不满意: 不满意 reopens the case. */
export const SATISFACTIONS = ['satisfied', 'fairlySatisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** How a handler took the case on: a person (mediator, police deputy) or a department. */
export const HANDLER_KINDS = ['user', 'department'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** A department's state on a case whistled to it (吹哨报到). */
export const DEPARTMENT_STATES = ['whistled', 'signed', 'reported', 'fedBack', 'returned'] as const;
export type DepartmentState = (typeof DEPARTMENT_STATES)[number];

/**
 * Every step a case can record. A step is a fact with who, when and why; the case's state is
 * what its steps add up to (dispute-flow.ts).
 */
export const STEP_ACTIONS = [
	'reportLead', // a liaison member reports a lead (线索)
	'acceptLead', // a mediator accepts it: the case enters intake
	'declineLead', // or declines it, with a reason
	'register', // 受理: a case registered directly
	'refer', // 转办: referred to a handler with a deadline → handling
	'escalate', // 吹哨: to the next level up, with a reason
	'autoEscalate', // the server escalates a case overdue beyond the margin
	'dispatch', // the street's centre whistles one or more departments
	'signFor', // 签收
	'reportIn', // 报到: what the department will do
	'departmentFeedback', // the department's result
	'returnCase', // 退回, with a reason
	'setCaseOwner', // 包案: the leader who owns a difficult case
	'recordOutcome', // 结果反馈
	'followUp', // 跟踪回访 with the parties' satisfaction
	'remind' // 催办 by the level above
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const LIMITS = {
	summary: 2000,
	reason: 500,
	name: 50,
	phone: 20,
	note: 5000,
	agreement: 20000,
	departments: 10,
	parties: 50,
	id: 64
} as const;

/** One step of a case's log. Optional fields belong to some actions only (dispute-flow.ts). */
export interface Step {
	id: string;
	action: StepAction;
	/** The user who took the step ('system' for the server's own, e.g. autoEscalate). */
	by: string;
	byName: string;
	/** The device's clock when the step was taken (the server's receive time orders steps). */
	at: string;
	reason?: string;
	handlerKind?: HandlerKind;
	handlerId?: string;
	handlerName?: string;
	/** Department ids for dispatch; the one department for a department's own steps. */
	departments?: string[];
	outcome?: Outcome;
	route?: GuidanceRoute;
	satisfaction?: Satisfaction;
	/** The grade at registration or acceptance (sets level and limits). */
	grade?: Grade;
}

/** A party (当事人): a household of the register, or a person outside it with a phone. */
export interface Party {
	id: string;
	householdId: string | null;
	name: string;
	phone: string;
}

export const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/** Whether `v` is a string of 1..max characters after trimming (or 0..max when optional). */
export function isText(v: unknown, max: number, optional = false): v is string {
	if (typeof v !== 'string' || v.length > max) return false;
	return optional || v.trim().length > 0;
}

/** Whether `v` is a string longer than `max` (to tell "too long" from "missing"). */
export const isTooLong = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > max;
