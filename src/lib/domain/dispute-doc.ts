/**
 * The dispute document (`dispute:<disputeId>`, design.md §9): one Y.Doc per case.
 *
 * Roots:
 * - `case`         Y.Map: communityId, gridId, type, summary, source, urgency, lng, lat,
 *                  createdBy, createdByName, createdAt — what intake recorded
 * - `parties`      Y.Map<partyId, Y.Map>: householdId (or null for someone outside the
 *                  register), name, phone
 * - `steps`        Y.Array<Step>: the case's log, append-only; its state is folded from it
 *                  (dispute-flow.ts)
 * - `receipts`     Y.Map<stepId, ISO time>: when the server received each step; written by the
 *                  server only, it orders the steps (the conflict rule)
 * - `notes`        Y.Array<Note>: mediation notes, contacts made, meetings (a linked
 *                  deliberation session), append-only, so two handlers offline both keep theirs
 * - `agreement`    Y.Map: text, draftedBy, draftedAt, `confirmations` Y.Map<partyId,
 *                  Confirmation>, frozenHash and frozenAt (server only, like signed-off minutes)
 *
 * Components and the server reach these roots only through the readers and named mutations
 * below; each mutation is one transaction, so it reaches other devices as one update.
 */
import * as Y from 'yjs';
import { DEFAULT_POLICY, foldCase, possibleActions, stepShapeOk, type CaseState, type DeadlinePolicy } from './dispute-flow.ts';
import {
	DISPUTE_SOURCES,
	DISPUTE_TYPES,
	GRADES,
	isOneOf,
	isText,
	isTooLong,
	LIMITS,
	URGENCIES,
	type DisputeSource,
	type DisputeType,
	type Grade,
	type Party,
	type Step,
	type StepAction,
	type Urgency
} from './dispute-schema.ts';
import { DomainError } from './grid-doc.ts';
import { isValidId } from './doc-names.ts';
import { newId } from './ids.ts';
import type { WorkCalendar } from './work-calendar.ts';

export const DISPUTE_ROOTS = {
	case: 'case',
	parties: 'parties',
	steps: 'steps',
	receipts: 'receipts',
	notes: 'notes',
	agreement: 'agreement'
} as const;

export interface CaseInfo {
	communityId: string;
	gridId: string | null;
	type: DisputeType;
	summary: string;
	source: DisputeSource;
	urgency: Urgency;
	lng: number | null;
	lat: number | null;
	createdBy: string;
	createdByName: string;
	createdAt: string;
}

export const NOTE_KINDS = ['note', 'contact', 'meeting'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface Note {
	id: string;
	kind: NoteKind;
	text: string;
	by: string;
	byName: string;
	at: string;
	/** The deliberation session held as this mediation meeting (kind `meeting`). */
	sessionId?: string;
}

export interface Confirmation {
	partyId: string;
	/** The user who recorded the party's confirmation on their device. */
	by: string;
	byName: string;
	at: string;
}

export interface Agreement {
	text: string;
	draftedBy: string;
	draftedAt: string;
	confirmations: Confirmation[];
	frozenHash: string | null;
	frozenAt: string | null;
}

/** Who acts, and when (the device clock). */
export interface CaseActor {
	by: string;
	byName: string;
	at?: string;
}

export interface Intake {
	communityId: string;
	gridId: string | null;
	type: DisputeType;
	summary: string;
	source: DisputeSource;
	urgency: Urgency;
	grade: Grade;
	lng: number | null;
	lat: number | null;
	parties: Omit<Party, 'id'>[];
	/** A lead (线索) from a liaison member rather than a registered case. */
	asLead?: boolean;
}

const caseMap = (doc: Y.Doc) => doc.getMap<unknown>(DISPUTE_ROOTS.case);
const partiesMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(DISPUTE_ROOTS.parties);
const stepsArray = (doc: Y.Doc) => doc.getArray<Step>(DISPUTE_ROOTS.steps);
const receiptsMap = (doc: Y.Doc) => doc.getMap<string>(DISPUTE_ROOTS.receipts);
const notesArray = (doc: Y.Doc) => doc.getArray<Note>(DISPUTE_ROOTS.notes);
const agreementMap = (doc: Y.Doc) => doc.getMap<unknown>(DISPUTE_ROOTS.agreement);

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The intake's problems as codes (empty when it can be registered); the UI translates them. */
export function intakeProblems(intake: Intake): string[] {
	const out: string[] = [];
	if (!isValidId(intake.communityId)) out.push('communityRequired');
	if (intake.gridId !== null && !isValidId(intake.gridId)) out.push('gridInvalid');
	if (!isOneOf(DISPUTE_TYPES, intake.type)) out.push('typeRequired');
	if (!isText(intake.summary, LIMITS.summary)) out.push(isTooLong(intake.summary, LIMITS.summary) ? 'summaryTooLong' : 'summaryRequired');
	if (!isOneOf(DISPUTE_SOURCES, intake.source)) out.push('sourceRequired');
	if (!isOneOf(URGENCIES, intake.urgency)) out.push('urgencyRequired');
	if (!isOneOf(GRADES, intake.grade)) out.push('gradeRequired');
	const lngOk = intake.lng === null || (Number.isFinite(intake.lng) && Math.abs(intake.lng) <= 180);
	const latOk = intake.lat === null || (Number.isFinite(intake.lat) && Math.abs(intake.lat) <= 90);
	if (!lngOk || !latOk || (intake.lng === null) !== (intake.lat === null)) out.push('placeInvalid');
	if (!Array.isArray(intake.parties) || intake.parties.length === 0) out.push('partyRequired');
	else if (intake.parties.length > LIMITS.parties) out.push('tooManyParties');
	else
		for (const p of intake.parties) {
			if (!isText(p.name, LIMITS.name)) out.push('partyNameRequired');
			else if (p.householdId === null && !isText(p.phone, LIMITS.phone)) out.push('partyPhoneRequired');
			else if (p.householdId !== null && !isValidId(p.householdId)) out.push('partyHouseholdInvalid');
		}
	return [...new Set(out)];
}

/**
 * 受理: writes a new case (or a lead) into an empty document. Throws DomainError
 * `intakeInvalid` with the problems' codes in its message when the intake is incomplete.
 */
export function registerCase(doc: Y.Doc, intake: Intake, actor: CaseActor, stepId: string = newId()): void {
	const problems = intakeProblems(intake);
	if (problems.length > 0) throw new DomainError('intakeInvalid', problems.join(','));
	if (stepsArray(doc).length > 0) throw new DomainError('caseExists', 'this case is already registered');
	const at = actor.at ?? new Date().toISOString();
	doc.transact(() => {
		const c = caseMap(doc);
		c.set('communityId', intake.communityId);
		c.set('gridId', intake.gridId);
		c.set('type', intake.type);
		c.set('summary', intake.summary.trim());
		c.set('source', intake.source);
		c.set('urgency', intake.urgency);
		c.set('lng', intake.lng);
		c.set('lat', intake.lat);
		c.set('createdBy', actor.by);
		c.set('createdByName', actor.byName);
		c.set('createdAt', at);
		for (const p of intake.parties) {
			const m = new Y.Map<unknown>();
			partiesMap(doc).set(newId(), m);
			m.set('householdId', p.householdId);
			m.set('name', p.name.trim());
			m.set('phone', p.phone.trim());
		}
		stepsArray(doc).push([
			{ id: stepId, action: intake.asLead ? 'reportLead' : 'register', by: actor.by, byName: actor.byName, at, grade: intake.grade }
		]);
	});
}

export function readCaseInfo(doc: Y.Doc): CaseInfo | null {
	const c = caseMap(doc);
	if (!c.has('communityId')) return null;
	return {
		communityId: str(c.get('communityId')),
		gridId: typeof c.get('gridId') === 'string' ? (c.get('gridId') as string) : null,
		type: isOneOf(DISPUTE_TYPES, c.get('type')) ? (c.get('type') as DisputeType) : 'other',
		summary: str(c.get('summary')),
		source: isOneOf(DISPUTE_SOURCES, c.get('source')) ? (c.get('source') as DisputeSource) : 'visit',
		urgency: c.get('urgency') === 'urgent' ? 'urgent' : 'normal',
		lng: num(c.get('lng')),
		lat: num(c.get('lat')),
		createdBy: str(c.get('createdBy')),
		createdByName: str(c.get('createdByName')),
		createdAt: str(c.get('createdAt'))
	};
}

export function listParties(doc: Y.Doc): Party[] {
	const out: Party[] = [];
	partiesMap(doc).forEach((m, id) => {
		if (!(m instanceof Y.Map)) return;
		const householdId = m.get('householdId');
		out.push({ id, householdId: typeof householdId === 'string' ? householdId : null, name: str(m.get('name')), phone: str(m.get('phone')) });
	});
	return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function listSteps(doc: Y.Doc): Step[] {
	return stepsArray(doc).toArray().filter((s): s is Step => typeof s === 'object' && s !== null && typeof s.id === 'string');
}

export function readReceipts(doc: Y.Doc): Map<string, string> {
	const out = new Map<string, string>();
	receiptsMap(doc).forEach((t, id) => {
		if (typeof t === 'string') out.set(id, t);
	});
	return out;
}

/** The case's state, folded from its steps in the server's receive order. */
export function readCaseState(doc: Y.Doc, calendar: WorkCalendar, policy: DeadlinePolicy = DEFAULT_POLICY): CaseState {
	return foldCase(listSteps(doc), readReceipts(doc), calendar, policy);
}

/** The fields a step carries besides who and when. */
export type StepInput = Omit<Step, 'id' | 'by' | 'byName' | 'at'>;

/**
 * Appends a step when this device's copy of the case allows it (DomainError `stepNotOpen`
 * otherwise, or `stepInvalid` for a malformed one). A step another device took meanwhile may
 * still overtake it; the fold then marks it superseded and the board tells its author.
 */
export function takeStep(doc: Y.Doc, input: StepInput, actor: CaseActor, calendar: WorkCalendar, id: string = newId()): Step {
	const step: Step = { ...input, id, by: actor.by, byName: actor.byName, at: actor.at ?? new Date().toISOString() };
	if (!stepShapeOk(step)) throw new DomainError('stepInvalid', `the step ${input.action} is missing what it needs`);
	const state = readCaseState(doc, calendar);
	if (!possibleActions(state).includes(input.action as StepAction)) throw new DomainError('stepNotOpen', `${input.action} is not open to this case now`);
	if (listSteps(doc).some((s) => s.id === id)) return step; // a repeated tap: one step
	stepsArray(doc).push([step]);
	return step;
}

/** Adds a note, a contact made or a meeting (with its linked session). Idempotent by id. */
export function addNote(doc: Y.Doc, kind: NoteKind, text: string, actor: CaseActor, extra: { sessionId?: string } = {}, id: string = newId()): void {
	if (!isOneOf(NOTE_KINDS, kind)) throw new DomainError('noteKindInvalid', `unknown note kind ${String(kind)}`);
	if (!isText(text, LIMITS.note)) throw new DomainError(isTooLong(text, LIMITS.note) ? 'noteTooLong' : 'noteRequired', 'a note needs a text');
	if (extra.sessionId !== undefined && !isValidId(extra.sessionId)) throw new DomainError('sessionInvalid', 'invalid session id');
	if (notesArray(doc).toArray().some((n) => n.id === id)) return;
	const note: Note = { id, kind, text: text.trim(), by: actor.by, byName: actor.byName, at: actor.at ?? new Date().toISOString() };
	if (extra.sessionId) note.sessionId = extra.sessionId;
	notesArray(doc).push([note]);
}

export function listNotes(doc: Y.Doc): Note[] {
	return notesArray(doc)
		.toArray()
		.filter((n) => typeof n === 'object' && n !== null && typeof n.id === 'string')
		.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

export function readAgreement(doc: Y.Doc): Agreement | null {
	const a = agreementMap(doc);
	if (!a.has('text')) return null;
	const confirmations: Confirmation[] = [];
	const c = a.get('confirmations');
	if (c instanceof Y.Map)
		c.forEach((v, partyId) => {
			const x = v as Partial<Confirmation>;
			if (x && typeof x.by === 'string' && typeof x.at === 'string') confirmations.push({ partyId, by: x.by, byName: str(x.byName), at: x.at });
		});
	return {
		text: str(a.get('text')),
		draftedBy: str(a.get('draftedBy')),
		draftedAt: str(a.get('draftedAt')),
		confirmations: confirmations.sort((x, y) => (x.partyId < y.partyId ? -1 : 1)),
		frozenHash: typeof a.get('frozenHash') === 'string' ? (a.get('frozenHash') as string) : null,
		frozenAt: typeof a.get('frozenAt') === 'string' ? (a.get('frozenAt') as string) : null
	};
}

/**
 * Writes (or rewrites) the mediation agreement (调解协议书). Rewriting it clears the parties'
 * confirmations: each party confirms the text they were shown. Refused once frozen.
 */
export function draftAgreement(doc: Y.Doc, text: string, actor: CaseActor): void {
	if (readAgreement(doc)?.frozenHash) throw new DomainError('agreementFrozen', 'the agreement is confirmed and frozen');
	if (!isText(text, LIMITS.agreement)) throw new DomainError(isTooLong(text, LIMITS.agreement) ? 'agreementTooLong' : 'agreementRequired', 'an agreement needs a text');
	doc.transact(() => {
		const a = agreementMap(doc);
		a.set('text', text.trim());
		a.set('draftedBy', actor.by);
		a.set('draftedAt', actor.at ?? new Date().toISOString());
		a.set('confirmations', new Y.Map<Confirmation>());
	});
}

/** Records that a party confirmed the agreement as drafted (on the handler's device, in person). */
export function confirmAgreement(doc: Y.Doc, partyId: string, actor: CaseActor): void {
	const agreement = readAgreement(doc);
	if (!agreement) throw new DomainError('agreementMissing', 'there is no agreement to confirm');
	if (agreement.frozenHash) throw new DomainError('agreementFrozen', 'the agreement is confirmed and frozen');
	if (!listParties(doc).some((p) => p.id === partyId)) throw new DomainError('unknownParty', `no party ${partyId}`);
	const c = agreementMap(doc).get('confirmations');
	if (!(c instanceof Y.Map)) throw new DomainError('agreementMissing', 'there is no agreement to confirm');
	c.set(partyId, { partyId, by: actor.by, byName: actor.byName, at: actor.at ?? new Date().toISOString() });
}

/** Whether every party has confirmed the current agreement (the server then freezes it). */
export function agreementComplete(doc: Y.Doc): boolean {
	const a = readAgreement(doc);
	if (!a || a.frozenHash) return false;
	const confirmed = new Set(a.confirmations.map((c) => c.partyId));
	const parties = listParties(doc);
	return parties.length > 0 && parties.every((p) => confirmed.has(p.id));
}
