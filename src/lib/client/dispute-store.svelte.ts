/**
 * The bridge from a dispute case's Y.Doc to Svelte: the one place where the UI reads and
 * changes a case. It re-reads through the domain readers after every change (a case is small:
 * a few dozen steps and notes) and writes only through the named mutations, as the current
 * user. Steps of this user that another device's step overtook (the conflict rule,
 * dispute-flow.ts) are offered as notices until the user dismisses them.
 */
import type * as Y from 'yjs';
import {
	addNote,
	agreementComplete,
	confirmAgreement,
	draftAgreement,
	listNotes,
	listParties,
	readAgreement,
	readCaseInfo,
	readCaseState,
	registerCase,
	takeStep,
	type Agreement,
	type CaseInfo,
	type Intake,
	type Note,
	type NoteKind,
	type StepInput
} from '$lib/domain/dispute-doc.ts';
import { DEFAULT_POLICY, foldCase, possibleActions, type CaseState, type DeadlinePolicy, type Superseded } from '$lib/domain/dispute-flow.ts';
import type { Party, StepAction } from '$lib/domain/dispute-schema.ts';
import type { WorkCalendar } from '$lib/domain/work-calendar.ts';

export interface CaseUser {
	id: string;
	displayName: string;
}

const EMPTY_STATE: CaseState = foldCase([], new Map(), { holidays: new Set(), workdays: new Set() });

export class DisputeStore {
	info = $state.raw<CaseInfo | null>(null);
	parties = $state.raw<Party[]>([]);
	state = $state.raw<CaseState>(EMPTY_STATE);
	notes = $state.raw<Note[]>([]);
	agreement = $state.raw<Agreement | null>(null);
	agreementComplete = $state(false);
	/** This user's steps that another device's step overtook, not yet dismissed. */
	overtaken = $state.raw<Superseded[]>([]);
	/** The steps open to this case now (by stage; the page filters by the user's roles). */
	open = $state.raw<StepAction[]>([]);

	private readonly doc: Y.Doc;
	private readonly user: CaseUser;
	private readonly calendar: WorkCalendar;
	private readonly policy: DeadlinePolicy;
	private readonly dismissed = new Set<string>();
	private readonly onUpdate = () => this.read();

	constructor(doc: Y.Doc, user: CaseUser, calendar: WorkCalendar, policy: DeadlinePolicy = DEFAULT_POLICY) {
		this.doc = doc;
		this.user = user;
		this.calendar = calendar;
		this.policy = policy;
		doc.on('update', this.onUpdate);
		this.read();
	}

	private read(): void {
		this.info = readCaseInfo(this.doc);
		this.parties = listParties(this.doc);
		this.state = readCaseState(this.doc, this.calendar, this.policy);
		this.notes = listNotes(this.doc);
		this.agreement = readAgreement(this.doc);
		this.agreementComplete = agreementComplete(this.doc);
		this.open = possibleActions(this.state);
		this.overtaken = this.state.superseded.filter((s) => s.step.by === this.user.id && !this.dismissed.has(s.step.id));
	}

	private get actor() {
		return { by: this.user.id, byName: this.user.displayName };
	}

	register(intake: Intake, stepId?: string): void {
		registerCase(this.doc, intake, this.actor, stepId);
	}

	/** Takes a step; `id` makes a repeated tap record it once. */
	take(input: StepInput, id?: string): void {
		takeStep(this.doc, input, this.actor, this.calendar, id);
	}

	note(kind: NoteKind, text: string, extra: { sessionId?: string } = {}, id?: string): void {
		addNote(this.doc, kind, text, this.actor, extra, id);
	}

	draftAgreement(text: string): void {
		draftAgreement(this.doc, text, this.actor);
	}

	confirmFor(partyId: string): void {
		confirmAgreement(this.doc, partyId, this.actor);
	}

	dismiss(stepId: string): void {
		this.dismissed.add(stepId);
		this.read();
	}

	destroy(): void {
		this.doc.off('update', this.onUpdate);
	}
}
