/**
 * The bridge from a deliberation session's Y.Doc to Svelte: the one place where the UI reads
 * and changes a session. It re-reads through the domain readers after every change (a session
 * is small) and writes only through the named mutations, as the current user. Who is here
 * right now comes from the provider's awareness (every open tab announces its user).
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import {
	addActionItem,
	addAgendaItem,
	addResolution,
	castVote,
	closeSession,
	closeVote,
	draftProposal,
	freezeState,
	listActionItems,
	listAgenda,
	listAttendance,
	listProposals,
	listResolutions,
	listSignOffs,
	markPresent,
	moveAgendaItem,
	observeSession,
	openVote,
	readSessionMeta,
	sessionHash,
	setActionItemStatus,
	setAgendaDiscussed,
	signOff,
	startSession,
	type ActionItem,
	type ActionItemStatus,
	type AgendaItem,
	type Attendee,
	type FreezeState,
	type Proposal,
	type Resolution,
	type SessionMeta,
	type SignOff,
	type VoteChoice
} from '$lib/domain/session-doc.ts';
import type { AwarenessUser } from './session-open.ts';
import { paletteColour } from '$lib/domain/presence.ts';

export interface SessionUser {
	id: string;
	displayName: string;
	/** The role shown in the attendance list (the user's first membership role). */
	role: string;
}

const EMPTY_META: SessionMeta = {
	title: '',
	communityId: '',
	place: null,
	startsAt: '',
	topic: '',
	chairId: '',
	invited: [],
	status: 'upcoming',
	closeReason: null,
	frozenHash: null,
	frozenAt: null
};

export class SessionStore {
	meta = $state.raw<SessionMeta>(EMPTY_META);
	agenda = $state.raw<AgendaItem[]>([]);
	attendance = $state.raw<Attendee[]>([]);
	proposals = $state.raw<Proposal[]>([]);
	resolutions = $state.raw<Resolution[]>([]);
	actionItems = $state.raw<ActionItem[]>([]);
	signOffs = $state.raw<SignOff[]>([]);
	freeze = $state<FreezeState>('open');
	/** Once frozen: whether this device's copy hashes to the hash the server wrote (null before). */
	hashVerified = $state<boolean | null>(null);
	/** The server granted read access only (role, or the session is frozen). */
	readOnly = $state(false);
	/** The server refused an edit from this device as against the session rules; sync stopped. */
	refused = $state(false);
	/** Users with this session open right now, on any device (awareness). */
	here = $state.raw<AwarenessUser[]>([]);
	/** Names of the community's members (from the server when online), for ids not in attendance. */
	memberNames = $state.raw<Record<string, string>>({});
	/** The agenda item whose minutes are shown. */
	selectedItemId = $state<string | null>(null);

	readonly user: SessionUser;
	readonly isChair = $derived(this.meta.chairId !== '' && this.meta.chairId === this.userId);
	readonly amPresent = $derived(this.attendance.some((a) => a.userId === this.userId));
	readonly signedOff = $derived(this.signOffs.some((s) => s.userId === this.userId));
	readonly canEdit = $derived(!this.readOnly && this.freeze === 'open');
	readonly selectedItem = $derived(this.agenda.find((i) => i.id === this.selectedItemId) ?? this.agenda[0] ?? null);

	#doc: Y.Doc;
	#provider: HocuspocusProvider;
	#stop: () => void;
	#onAwareness = () => this.#readAwareness();

	constructor(doc: Y.Doc, provider: HocuspocusProvider, user: SessionUser) {
		this.#doc = doc;
		this.#provider = provider;
		this.user = user;
		this.#read();
		this.#stop = observeSession(doc, () => this.#read());
		provider.awareness?.on('change', this.#onAwareness);
		this.#readAwareness();
	}

	get userId(): string {
		return this.user.id;
	}

	get doc(): Y.Doc {
		return this.#doc;
	}

	get provider(): HocuspocusProvider {
		return this.#provider;
	}

	#read(): void {
		const doc = this.#doc;
		this.meta = readSessionMeta(doc);
		this.agenda = listAgenda(doc);
		this.attendance = listAttendance(doc);
		this.proposals = listProposals(doc);
		this.resolutions = listResolutions(doc);
		this.actionItems = listActionItems(doc);
		this.signOffs = listSignOffs(doc);
		this.freeze = freezeState(doc);
		this.hashVerified = this.freeze === 'frozen' ? sessionHash(doc) === this.meta.frozenHash : null;
	}

	#readAwareness(): void {
		const states = this.#provider.awareness?.getStates() ?? new Map();
		const byId = new Map<string, AwarenessUser>();
		for (const state of states.values()) {
			const u = (state as { user?: AwarenessUser }).user;
			// drawn as CSS and text: palette colours only, names as text of bounded length
			if (u && typeof u.id === 'string' && typeof u.name === 'string' && !byId.has(u.id))
				byId.set(u.id, { id: u.id, name: u.name.slice(0, 64), color: paletteColour(u.color) });
		}
		this.here = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
	}

	/** A name for a user id: from attendance, else from who is here, else the id. */
	nameOf(userId: string): string {
		if (userId === this.user.id) return this.user.displayName;
		return (
			this.attendance.find((a) => a.userId === userId)?.name ??
			this.here.find((u) => u.id === userId)?.name ??
			this.memberNames[userId] ??
			userId
		);
	}

	select(itemId: string): void {
		this.selectedItemId = itemId;
	}

	// Each method throws the domain's DomainError when a rule refuses.
	start(): void {
		startSession(this.#doc, this.userId);
	}
	close(reason?: string): void {
		closeSession(this.#doc, this.userId, reason);
	}
	markMePresent(): void {
		markPresent(this.#doc, this.userId, { name: this.user.displayName, role: this.user.role }, this.userId);
	}
	/** The chair marks someone present (here on their own device, or invited and seen in the room). */
	markPresent(user: { id: string; name: string; role?: string }): void {
		markPresent(this.#doc, user.id, { name: user.name, role: user.role ?? '' }, this.userId);
	}
	addAgendaItem(title: string): string {
		const id = addAgendaItem(this.#doc, title, this.userId);
		this.selectedItemId ??= id;
		return id;
	}
	moveAgendaItem(id: string, toIndex: number): void {
		moveAgendaItem(this.#doc, id, toIndex);
	}
	setDiscussed(id: string, discussed: boolean): void {
		setAgendaDiscussed(this.#doc, id, discussed);
	}
	draftProposal(text: string, agendaItemId: string): string {
		return draftProposal(this.#doc, { text, agendaItemId }, this.userId);
	}
	openVote(proposalId: string): void {
		openVote(this.#doc, proposalId, this.userId);
	}
	vote(proposalId: string, choice: VoteChoice): void {
		castVote(this.#doc, proposalId, this.userId, choice);
	}
	closeVote(proposalId: string): void {
		closeVote(this.#doc, proposalId, this.userId);
	}
	addResolution(text: string, agendaItemId: string, proposalId: string | null): string {
		return addResolution(this.#doc, { text, agendaItemId, proposalId }, this.userId);
	}
	addActionItem(resolutionId: string, text: string, owner: string, due: string): string {
		return addActionItem(this.#doc, { resolutionId, text, owner, due });
	}
	setActionItemStatus(id: string, status: ActionItemStatus): void {
		setActionItemStatus(this.#doc, id, status);
	}
	signOff(): void {
		signOff(this.#doc, this.userId);
	}

	destroy(): void {
		this.#stop();
		this.#provider.awareness?.off('change', this.#onAwareness);
	}
}
