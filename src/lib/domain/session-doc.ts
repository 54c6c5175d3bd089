/**
 * The deliberation session document (`session:<sessionId>`, design.md §2): one Y.Doc per
 * session (议事会), written by several tablets at once, often offline.
 *
 * Roots:
 * - `meta`         Y.Map: title, communityId, place {lng, lat, label}, startsAt, topic, chairId,
 *                  invited, status (upcoming → live → closed), closeReason, frozenHash, frozenAt
 * - `agenda`       Y.Array<Y.Map>: id, title, order, discussed, by, at. Items are only pushed;
 *                  the order is the `order` number, so a reorder is one field set and two
 *                  people reordering at once never duplicate or lose an item.
 * - `minutes:<agendaItemId>`  Y.XmlFragment per agenda item: the TipTap (y-prosemirror) text
 * - `attendance`   Y.Map<userId, {name, role, at}>: who is present
 * - `proposals`    Y.Map<proposalId, Y.Map>: text, agendaItemId, by, at, status
 *                  (draft → open → closed), votes (Y.Map<userId, {choice, at}>), and when
 *                  closed: tally, result, counted (the voters the tally counted)
 * - `resolutions`  Y.Map<resolutionId, Y.Map>: text, agendaItemId, proposalId, by, at
 * - `actionItems`  Y.Map<actionItemId, Y.Map>: resolutionId, text, owner, due, status
 * - `signOffs`     Y.Map<userId, at>
 *
 * Why votes are a map keyed by user: a vote cast offline may reach the server several times
 * (retries, two tabs, a restored backup); under one key it is one vote however often it syncs.
 *
 * Freezing. The document carries the request to freeze: either every present participant has
 * signed off the closed session, or the chair closed it with a recorded reason. From then on
 * every mutation here refuses (`frozen`). The server then takes the hash of the final state
 * (`sessionHash`: SHA-256 of a canonical JSON of the readers' output, leaving out the frozen
 * fields themselves), keeps it in its records, writes it into `meta.frozenHash` and refuses any
 * further update to the document. Anyone can recompute the hash from the document.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import * as Y from 'yjs';
import { DomainError } from './grid-doc.ts';
import { isValidId } from './doc-names.ts';
import { newId } from './ids.ts';

export const SESSION_ROOTS = {
	meta: 'meta',
	agenda: 'agenda',
	attendance: 'attendance',
	proposals: 'proposals',
	resolutions: 'resolutions',
	actionItems: 'actionItems',
	signOffs: 'signOffs'
} as const;

/** The root name of an agenda item's minutes (a Y.XmlFragment, bound to TipTap). */
export const minutesRoot = (agendaItemId: string): string => `minutes:${agendaItemId}`;

export const SESSION_STATUSES = ['upcoming', 'live', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const VOTE_CHOICES = ['for', 'against', 'abstain'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export type ProposalStatus = 'draft' | 'open' | 'closed';
export type ProposalResult = 'adopted' | 'rejected';
export type ActionItemStatus = 'open' | 'done';

export interface SessionPlace {
	lng: number;
	lat: number;
	label: string;
}

export interface SessionMeta {
	title: string;
	communityId: string;
	place: SessionPlace | null;
	startsAt: string;
	topic: string;
	chairId: string;
	invited: string[];
	status: SessionStatus;
	closeReason: string | null;
	frozenHash: string | null;
	frozenAt: string | null;
}

export interface AgendaItem {
	id: string;
	title: string;
	order: number;
	discussed: boolean;
	by: string;
	at: string;
}

export interface Attendee {
	userId: string;
	name: string;
	role: string;
	at: string;
}

export interface Vote {
	userId: string;
	choice: VoteChoice;
	at: string;
}

export interface Tally {
	for: number;
	against: number;
	abstain: number;
}

export interface Proposal {
	id: string;
	text: string;
	agendaItemId: string;
	by: string;
	at: string;
	status: ProposalStatus;
	/** Every vote in the document, sorted by user id. */
	votes: Vote[];
	/** The votes counted now: the recorded tally once closed, else the live count. */
	tally: Tally;
	result: ProposalResult | null;
	/** Votes that reached the document after the chair closed the vote (not counted). */
	lateVotes: string[];
}

export interface Resolution {
	id: string;
	text: string;
	agendaItemId: string;
	proposalId: string | null;
	by: string;
	at: string;
}

export interface ActionItem {
	id: string;
	resolutionId: string;
	text: string;
	owner: string;
	/** Due date, `YYYY-MM-DD`. */
	due: string;
	status: ActionItemStatus;
}

export interface SignOff {
	userId: string;
	at: string;
}

/** Everything a session holds, as the readers return it (the input of `sessionHash`). */
export interface SessionState {
	meta: SessionMeta;
	agenda: AgendaItem[];
	/** Plain text of each agenda item's minutes, keyed by agenda item id. */
	minutes: Record<string, string>;
	attendance: Attendee[];
	proposals: Proposal[];
	resolutions: Resolution[];
	actionItems: ActionItem[];
	signOffs: SignOff[];
}

const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(SESSION_ROOTS.meta);
const agendaArray = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(SESSION_ROOTS.agenda);
const attendanceMap = (doc: Y.Doc) => doc.getMap<Omit<Attendee, 'userId'>>(SESSION_ROOTS.attendance);
const proposalsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(SESSION_ROOTS.proposals);
const resolutionsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(SESSION_ROOTS.resolutions);
const actionItemsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(SESSION_ROOTS.actionItems);
const signOffsMap = (doc: Y.Doc) => doc.getMap<string>(SESSION_ROOTS.signOffs);

/** The minutes fragment of an agenda item (what TipTap's Collaboration extension binds to). */
export function minutesFragment(doc: Y.Doc, agendaItemId: string): Y.XmlFragment {
	return doc.getXmlFragment(minutesRoot(agendaItemId));
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byUser = <T extends { userId: string }>(a: T, b: T) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every record of a map of records, converted, in id order (ids are time-ordered). */
function recordsById<T extends { id: string }>(map: Y.Map<Y.Map<unknown>>, convert: (id: string, m: Y.Map<unknown>) => T): T[] {
	const out: T[] = [];
	map.forEach((m, id) => {
		if (m instanceof Y.Map) out.push(convert(id, m));
	});
	return out.sort(byId);
}

// ---- readers ----

function isStatus(v: unknown): v is SessionStatus {
	return typeof v === 'string' && (SESSION_STATUSES as readonly string[]).includes(v);
}

function isChoice(v: unknown): v is VoteChoice {
	return typeof v === 'string' && (VOTE_CHOICES as readonly string[]).includes(v);
}

function toPlace(v: unknown): SessionPlace | null {
	if (!v || typeof v !== 'object') return null;
	const p = v as Partial<SessionPlace>;
	if (typeof p.lng !== 'number' || typeof p.lat !== 'number') return null;
	return { lng: p.lng, lat: p.lat, label: str(p.label) };
}

export function readSessionMeta(doc: Y.Doc): SessionMeta {
	const m = metaMap(doc);
	const status = m.get('status');
	const invited = m.get('invited');
	return {
		title: str(m.get('title')),
		communityId: str(m.get('communityId')),
		place: toPlace(m.get('place')),
		startsAt: str(m.get('startsAt')),
		topic: str(m.get('topic')),
		chairId: str(m.get('chairId')),
		invited: Array.isArray(invited) ? invited.filter((x): x is string => typeof x === 'string').sort() : [],
		status: isStatus(status) ? status : 'upcoming',
		closeReason: (m.get('closeReason') as string | undefined) ?? null,
		frozenHash: (m.get('frozenHash') as string | undefined) ?? null,
		frozenAt: (m.get('frozenAt') as string | undefined) ?? null
	};
}

/** The agenda in its order (order number, then id: the same on every replica). */
export function listAgenda(doc: Y.Doc): AgendaItem[] {
	const out: AgendaItem[] = [];
	for (const m of agendaArray(doc)) {
		if (!(m instanceof Y.Map)) continue;
		out.push({
			id: str(m.get('id')),
			title: str(m.get('title')),
			order: Number(m.get('order') ?? 0),
			discussed: m.get('discussed') === true,
			by: str(m.get('by')),
			at: str(m.get('at'))
		});
	}
	return out.sort((a, b) => a.order - b.order || byId(a, b));
}

function findAgendaMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
	for (const m of agendaArray(doc)) if (m instanceof Y.Map && m.get('id') === id) return m;
	return null;
}

const plainText = (t: Y.XmlText): string =>
	(t.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');

/** One line per innermost block (paragraph, heading, list item's paragraph). */
function blockLines(node: Y.XmlElement | Y.XmlFragment, out: string[]): void {
	const children = node.toArray();
	if (!children.some((c) => c instanceof Y.XmlElement)) {
		out.push(children.map((c) => (c instanceof Y.XmlText ? plainText(c) : '')).join(''));
		return;
	}
	for (const c of children) {
		if (c instanceof Y.XmlElement) blockLines(c, out);
		else if (c instanceof Y.XmlText) out.push(plainText(c));
	}
}

/** The plain text of an agenda item's minutes: one line per paragraph (or other block). */
export function minutesText(doc: Y.Doc, agendaItemId: string): string {
	const fragment = minutesFragment(doc, agendaItemId);
	if (fragment.length === 0) return '';
	const lines: string[] = [];
	blockLines(fragment, lines);
	return lines.join('\n').replace(/\n+$/, '');
}

export function listAttendance(doc: Y.Doc): Attendee[] {
	const out: Attendee[] = [];
	attendanceMap(doc).forEach((a, userId) => {
		if (a && typeof a === 'object') out.push({ userId, name: str(a.name), role: str(a.role), at: str(a.at) });
	});
	return out.sort(byUser);
}

export function isPresent(doc: Y.Doc, userId: string): boolean {
	return attendanceMap(doc).has(userId);
}

function readVotes(m: Y.Map<unknown>): Vote[] {
	const votes = m.get('votes');
	const out: Vote[] = [];
	if (votes instanceof Y.Map) {
		votes.forEach((v: unknown, userId: string) => {
			const vote = v as Partial<Vote> | null;
			if (vote && isChoice(vote.choice)) out.push({ userId, choice: vote.choice, at: str(vote.at) });
		});
	}
	return out.sort(byUser);
}

/** For, against and abstain among `votes`. */
export function tallyVotes(votes: readonly Vote[]): Tally {
	const t: Tally = { for: 0, against: 0, abstain: 0 };
	for (const v of votes) t[v.choice]++;
	return t;
}

/** Adopted when more votes are for than against; abstentions decide nothing. */
export function resultOf(tally: Tally): ProposalResult {
	return tally.for > tally.against ? 'adopted' : 'rejected';
}

function toProposal(id: string, m: Y.Map<unknown>): Proposal {
	const status = m.get('status');
	const votes = readVotes(m);
	const recorded = m.get('tally') as Tally | undefined;
	const counted = m.get('counted');
	const countedSet = new Set(Array.isArray(counted) ? (counted as string[]) : []);
	const closed = status === 'closed';
	return {
		id,
		text: str(m.get('text')),
		agendaItemId: str(m.get('agendaItemId')),
		by: str(m.get('by')),
		at: str(m.get('at')),
		status: status === 'open' || closed ? status : 'draft',
		votes,
		tally: closed && recorded ? { for: recorded.for, against: recorded.against, abstain: recorded.abstain } : tallyVotes(votes),
		result: closed ? ((m.get('result') as ProposalResult | undefined) ?? null) : null,
		lateVotes: closed ? votes.filter((v) => !countedSet.has(v.userId)).map((v) => v.userId) : []
	};
}

/** Proposals in the order they were drafted (ids are time-ordered). */
export function listProposals(doc: Y.Doc): Proposal[] {
	return recordsById(proposalsMap(doc), toProposal);
}

export function readProposal(doc: Y.Doc, id: string): Proposal | null {
	const m = proposalsMap(doc).get(id);
	return m instanceof Y.Map ? toProposal(id, m) : null;
}

export function listResolutions(doc: Y.Doc): Resolution[] {
	return recordsById(resolutionsMap(doc), (id, m) => ({
		id,
		text: str(m.get('text')),
		agendaItemId: str(m.get('agendaItemId')),
		proposalId: (m.get('proposalId') as string | null | undefined) ?? null,
		by: str(m.get('by')),
		at: str(m.get('at'))
	}));
}

export function listActionItems(doc: Y.Doc): ActionItem[] {
	return recordsById(actionItemsMap(doc), (id, m) => ({
		id,
		resolutionId: str(m.get('resolutionId')),
		text: str(m.get('text')),
		owner: str(m.get('owner')),
		due: str(m.get('due')),
		status: m.get('status') === 'done' ? ('done' as const) : ('open' as const)
	}));
}

/** Whether an action item is late on `today` (`YYYY-MM-DD`): not done and due before today. */
export function isOverdue(item: ActionItem, today: string): boolean {
	return item.status !== 'done' && item.due !== '' && item.due < today;
}

export function listSignOffs(doc: Y.Doc): SignOff[] {
	const out: SignOff[] = [];
	signOffsMap(doc).forEach((at, userId) => out.push({ userId, at: str(at) }));
	return out.sort(byUser);
}

/** Everything in the session, read through the readers above. */
export function readSession(doc: Y.Doc): SessionState {
	const agenda = listAgenda(doc);
	const minutes: Record<string, string> = {};
	for (const item of agenda) minutes[item.id] = minutesText(doc, item.id);
	return {
		meta: readSessionMeta(doc),
		agenda,
		minutes,
		attendance: listAttendance(doc),
		proposals: listProposals(doc),
		resolutions: listResolutions(doc),
		actionItems: listActionItems(doc),
		signOffs: listSignOffs(doc)
	};
}

/**
 * Calls `onChange` once after every transaction that changed the session (any root, minutes
 * included); returns the function that stops it.
 */
export function observeSession(doc: Y.Doc, onChange: () => void): () => void {
	// 'update' fires once per transaction that changed something, local or remote.
	const handler = () => onChange();
	doc.on('update', handler);
	return () => doc.off('update', handler);
}

// ---- freezing ----

export type FreezeState =
	/** Editing goes on. */
	| 'open'
	/** The session asks to be frozen (all signed off, or the chair's close with a reason): no more edits. */
	| 'due'
	/** The server has frozen it and written the hash. */
	| 'frozen';

/** Whether every present participant has signed off a closed session (at least one present). */
export function allSignedOff(doc: Y.Doc): boolean {
	if (readSessionMeta(doc).status !== 'closed') return false;
	const present = [...attendanceMap(doc).keys()];
	const signed = signOffsMap(doc);
	return present.length > 0 && present.every((id) => signed.has(id));
}

export function freezeState(doc: Y.Doc): FreezeState {
	const meta = readSessionMeta(doc);
	if (meta.frozenHash) return 'frozen';
	if (meta.status === 'closed' && (meta.closeReason !== null || allSignedOff(doc))) return 'due';
	return 'open';
}

/** JSON with object keys sorted at every depth; arrays keep their (already canonical) order. */
export function canonicalJson(value: unknown): string {
	const sort = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(sort);
		if (v && typeof v === 'object') {
			const o = v as Record<string, unknown>;
			return Object.fromEntries(
				Object.keys(o)
					.sort()
					.filter((k) => o[k] !== undefined)
					.map((k) => [k, sort(o[k])])
			);
		}
		return v;
	};
	return JSON.stringify(sort(value));
}

/**
 * The SHA-256 (hex) of the session's state as the readers return it, leaving out the frozen
 * hash and time themselves, so the hash written into the document still matches it.
 */
export function sessionHash(doc: Y.Doc): string {
	const state = readSession(doc);
	const { frozenHash: _h, frozenAt: _a, ...meta } = state.meta;
	const bytes = sha256(new TextEncoder().encode(canonicalJson({ ...state, meta })));
	let hex = '';
	for (const b of bytes) hex += b.toString(16).padStart(2, '0');
	return hex;
}

/**
 * Writes the frozen hash and time into the document (the server does this, once it has kept
 * the hash in its records). Refuses unless the session asks to be frozen.
 */
export function markFrozen(doc: Y.Doc, hash: string, at: string = new Date().toISOString()): void {
	const state = freezeState(doc);
	if (state === 'frozen') return;
	if (state !== 'due') throw new DomainError('notDueForFreeze', 'the session has not been signed off or closed with a reason');
	doc.transact(() => {
		metaMap(doc).set('frozenHash', hash);
		metaMap(doc).set('frozenAt', at);
	});
}

// ---- validation ----

function text(value: unknown, code: string, what: string, max: number, required = true): string {
	const t = typeof value === 'string' ? value.trim() : '';
	if (required && t.length === 0) throw new DomainError(code, `${what} is required`);
	if (t.length > max) throw new DomainError(code, `${what} has at most ${max} characters`);
	return t;
}

function requireEditable(doc: Y.Doc): void {
	if (freezeState(doc) !== 'open') throw new DomainError('frozen', 'the session is signed off: its record can no longer change');
}

function requireChair(doc: Y.Doc, by: string): void {
	if (readSessionMeta(doc).chairId !== by) throw new DomainError('chairOnly', 'only the chair may do this');
}

function requirePresent(doc: Y.Doc, userId: string): void {
	if (!isPresent(doc, userId)) throw new DomainError('notPresent', 'only participants marked present may do this');
}

function requireAgendaItem(doc: Y.Doc, id: string): Y.Map<unknown> {
	const m = findAgendaMap(doc, id);
	if (!m) throw new DomainError('unknownAgendaItem', `no agenda item ${id}`);
	return m;
}

function requireProposal(doc: Y.Doc, id: string): Y.Map<unknown> {
	const m = proposalsMap(doc).get(id);
	if (!(m instanceof Y.Map)) throw new DomainError('unknownProposal', `no proposal ${id}`);
	return m;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

// ---- mutations ----

export interface NewSession {
	title: string;
	communityId: string;
	place: SessionPlace | null;
	startsAt: string;
	topic: string;
	chairId: string;
	invited?: string[];
}

/** Writes a new session's meta (status upcoming). The server does this when it creates the record. */
export function initSession(doc: Y.Doc, input: NewSession): void {
	const title = text(input.title, 'invalidTitle', 'a title', 200);
	const topic = text(input.topic, 'invalidTopic', 'the topic', 2000, false);
	if (!isValidId(input.communityId)) throw new DomainError('invalidCommunity', 'unknown community');
	if (!input.chairId) throw new DomainError('invalidChair', 'a session needs a chair');
	if (Number.isNaN(Date.parse(input.startsAt))) throw new DomainError('invalidStartsAt', 'startsAt must be a date and time');
	const place = input.place === null ? null : toPlace(input.place);
	if (input.place !== null && !place) throw new DomainError('invalidPlace', 'a place needs a longitude and latitude');
	doc.transact(() => {
		const m = metaMap(doc);
		m.set('title', title);
		m.set('communityId', input.communityId);
		m.set('place', place);
		m.set('startsAt', input.startsAt);
		m.set('topic', topic);
		m.set('chairId', input.chairId);
		m.set('invited', [...new Set(input.invited ?? [])]);
		m.set('status', 'upcoming');
	});
}

/** The chair opens the meeting: status live. */
export function startSession(doc: Y.Doc, by: string): void {
	requireEditable(doc);
	requireChair(doc, by);
	if (readSessionMeta(doc).status !== 'upcoming') throw new DomainError('notUpcoming', 'the session has already started');
	doc.transact(() => metaMap(doc).set('status', 'live'));
}

/**
 * The chair closes the meeting: status closed, and sign-offs begin. With a `reason` (for
 * example, some participants left before signing) the session freezes at once.
 */
export function closeSession(doc: Y.Doc, by: string, reason?: string): void {
	requireEditable(doc);
	requireChair(doc, by);
	const why = reason === undefined ? '' : text(reason, 'invalidReason', 'the reason', 500, false);
	doc.transact(() => {
		const m = metaMap(doc);
		if (m.get('status') !== 'closed') m.set('status', 'closed');
		if (why) m.set('closeReason', why);
	});
}

/** Anyone may add an agenda item while the session is open; it goes to the end. Returns its id. */
export function addAgendaItem(doc: Y.Doc, title: string, by: string, at: string = new Date().toISOString(), id: string = newId()): string {
	requireEditable(doc);
	const t = text(title, 'invalidAgendaTitle', 'an agenda item title', 200);
	const items = listAgenda(doc);
	const order = items.length ? items[items.length - 1].order + 1 : 1;
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		m.set('id', id);
		m.set('title', t);
		m.set('order', order);
		m.set('discussed', false);
		m.set('by', by);
		m.set('at', at);
		agendaArray(doc).push([m]);
	});
	return id;
}

/**
 * Moves an agenda item to position `toIndex` of the current order by giving it an order number
 * between its new neighbours (only that item's `order` changes).
 */
export function moveAgendaItem(doc: Y.Doc, id: string, toIndex: number): void {
	requireEditable(doc);
	const m = requireAgendaItem(doc, id);
	const others = listAgenda(doc).filter((i) => i.id !== id);
	const index = Math.max(0, Math.min(others.length, Math.trunc(toIndex)));
	const before = others[index - 1]?.order;
	const after = others[index]?.order;
	const order =
		before === undefined && after === undefined ? 1 : before === undefined ? after! - 1 : after === undefined ? before + 1 : (before + after) / 2;
	if (m.get('order') === order) return;
	doc.transact(() => m.set('order', order));
}

export function setAgendaDiscussed(doc: Y.Doc, id: string, discussed: boolean): void {
	requireEditable(doc);
	const m = requireAgendaItem(doc, id);
	if (m.get('discussed') === discussed) return;
	doc.transact(() => m.set('discussed', discussed));
}

/** Marks `userId` present. A participant marks themselves; the chair may mark anyone. */
export function markPresent(
	doc: Y.Doc,
	userId: string,
	who: { name: string; role: string },
	by: string,
	at: string = new Date().toISOString()
): void {
	requireEditable(doc);
	if (by !== userId) requireChair(doc, by);
	if (!userId) throw new DomainError('invalidUser', 'attendance needs a user');
	if (isPresent(doc, userId)) return;
	const name = text(who.name, 'invalidName', 'a name', 100);
	doc.transact(() => attendanceMap(doc).set(userId, { name, role: String(who.role ?? ''), at }));
}

/** Anyone present drafts a proposal on an agenda item; returns its id. */
export function draftProposal(
	doc: Y.Doc,
	input: { text: string; agendaItemId: string },
	by: string,
	at: string = new Date().toISOString(),
	id: string = newId()
): string {
	requireEditable(doc);
	requirePresent(doc, by);
	requireAgendaItem(doc, input.agendaItemId);
	const t = text(input.text, 'invalidProposal', 'a proposal', 2000);
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		proposalsMap(doc).set(id, m);
		m.set('text', t);
		m.set('agendaItemId', input.agendaItemId);
		m.set('by', by);
		m.set('at', at);
		m.set('status', 'draft');
		m.set('votes', new Y.Map<unknown>());
	});
	return id;
}

/** The chair opens the vote on a drafted proposal. */
export function openVote(doc: Y.Doc, proposalId: string, by: string): void {
	requireEditable(doc);
	requireChair(doc, by);
	const m = requireProposal(doc, proposalId);
	if (m.get('status') !== 'draft') throw new DomainError('notDraft', 'only a drafted proposal can be put to the vote');
	doc.transact(() => m.set('status', 'open'));
}

/**
 * A present participant votes once on an open proposal. The vote is kept under the voter's
 * id: the same vote arriving again (an offline device syncing twice) is still one vote.
 */
export function castVote(doc: Y.Doc, proposalId: string, userId: string, choice: VoteChoice, at: string = new Date().toISOString()): void {
	requireEditable(doc);
	if (!isChoice(choice)) throw new DomainError('invalidChoice', 'a vote is for, against or abstain');
	const m = requireProposal(doc, proposalId);
	if (m.get('status') !== 'open') throw new DomainError('voteNotOpen', 'votes are taken only while the chair has the vote open');
	requirePresent(doc, userId);
	const votes = m.get('votes');
	if (!(votes instanceof Y.Map)) throw new DomainError('unknownProposal', `proposal ${proposalId} has no ballot`);
	if (votes.has(userId)) throw new DomainError('alreadyVoted', 'each participant votes once');
	doc.transact(() => votes.set(userId, { choice, at }));
}

/** The chair closes the vote: the tally, the result and who was counted are recorded. */
export function closeVote(doc: Y.Doc, proposalId: string, by: string): Proposal {
	requireEditable(doc);
	requireChair(doc, by);
	const m = requireProposal(doc, proposalId);
	if (m.get('status') !== 'open') throw new DomainError('voteNotOpen', 'the vote is not open');
	const votes = readVotes(m);
	const tally = tallyVotes(votes);
	doc.transact(() => {
		m.set('status', 'closed');
		m.set('tally', tally);
		m.set('result', resultOf(tally));
		m.set('counted', votes.map((v) => v.userId));
	});
	return toProposal(proposalId, m);
}

/** Records what the session decided; returns the resolution's id. */
export function addResolution(
	doc: Y.Doc,
	input: { text: string; agendaItemId: string; proposalId?: string | null },
	by: string,
	at: string = new Date().toISOString(),
	id: string = newId()
): string {
	requireEditable(doc);
	requireAgendaItem(doc, input.agendaItemId);
	if (input.proposalId) requireProposal(doc, input.proposalId);
	const t = text(input.text, 'invalidResolution', 'a resolution', 2000);
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		resolutionsMap(doc).set(id, m);
		m.set('text', t);
		m.set('agendaItemId', input.agendaItemId);
		m.set('proposalId', input.proposalId ?? null);
		m.set('by', by);
		m.set('at', at);
	});
	return id;
}

/** Follow-up work of a resolution, with an owner (a member) and a due date; returns its id. */
export function addActionItem(
	doc: Y.Doc,
	input: { resolutionId: string; text: string; owner: string; due: string },
	id: string = newId()
): string {
	requireEditable(doc);
	if (!(resolutionsMap(doc).get(input.resolutionId) instanceof Y.Map))
		throw new DomainError('unknownResolution', `no resolution ${input.resolutionId}`);
	const t = text(input.text, 'invalidActionItem', 'an action item', 500);
	const owner = text(input.owner, 'invalidOwner', 'an owner', 100);
	if (!DATE_RE.test(input.due) || Number.isNaN(Date.parse(input.due))) throw new DomainError('invalidDue', 'the due date is YYYY-MM-DD');
	doc.transact(() => {
		const m = new Y.Map<unknown>();
		actionItemsMap(doc).set(id, m);
		m.set('resolutionId', input.resolutionId);
		m.set('text', t);
		m.set('owner', owner);
		m.set('due', input.due);
		m.set('status', 'open');
	});
	return id;
}

export function setActionItemStatus(doc: Y.Doc, id: string, status: ActionItemStatus): void {
	requireEditable(doc);
	const m = actionItemsMap(doc).get(id);
	if (!(m instanceof Y.Map)) throw new DomainError('unknownActionItem', `no action item ${id}`);
	if (status !== 'open' && status !== 'done') throw new DomainError('invalidStatus', 'an action item is open or done');
	if (m.get('status') === status) return;
	doc.transact(() => m.set('status', status));
}

/**
 * A present participant confirms the final minutes of the closed session on their own device.
 * After the last present participant's sign-off the session is due to freeze.
 */
export function signOff(doc: Y.Doc, userId: string, at: string = new Date().toISOString()): void {
	requireEditable(doc);
	if (readSessionMeta(doc).status !== 'closed') throw new DomainError('notClosed', 'sign-off begins when the chair closes the session');
	requirePresent(doc, userId);
	if (signOffsMap(doc).has(userId)) return;
	doc.transact(() => signOffsMap(doc).set(userId, at));
}
