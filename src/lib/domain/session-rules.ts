/**
 * Which changes to a session document a given user may make, judged on the server for every
 * update a connection sends (server/collab/RulesExtension.ts, through rules.ts). The client's
 * named mutations (session-doc.ts) already keep these rules; this catches a client that writes
 * raw Yjs ops past them:
 * - the frozen hash is the server's; meta fields, opening and closing votes and the meeting,
 *   and the chair itself are the chair's (the chair of the state before: a new chair cannot
 *   approve their own appointment);
 * - attendance is marked by the participant or the chair; a sign-off, a vote, a drafted
 *   proposal, an agenda item or a resolution is made in the sender's own name;
 * - votes: one per participant who is present, never changed once cast, only on a proposal
 *   put to the vote; at the close, the recorded tally and result are what the counted votes
 *   give, and the counted voters are voters on record; once closed, the record never changes.
 *   The server then writes the count of every vote it held at the close (`followUp`), so a
 *   chair cannot leave a vote out, also when the same update closes the meeting and freezes it
 *   (the hash is taken after the count);
 * - agenda items are only pushed; records are not removed; every changed record fits the
 *   schema (schema-check.ts).
 *
 * Deliberately allowed: a participant's own vote arriving after the chair closed the vote (it
 * was cast offline while open; the recorded tally does not count it, the readers show it as
 * late). Refusing it would leave that device re-sending the same update for ever.
 *
 * Fast path: an update whose integrated change touched only minutes roots (typing, the common
 * case) is judged by its roots alone. This is decided from what Yjs integrated (doc-change.ts),
 * not from the update's wire shape (issue 12).
 */
import * as Y from 'yjs';
import type { DocChange } from './doc-change.ts';
import { isValidId } from './doc-names.ts';
import type { Actor, DocRules } from './rules.ts';
import { arrayOf, bool, type Check, checkRecord, deviceTime, FIELD_LIMITS, finite, isoTime, LIMITS, oneOf, orNull, plainObject, text } from './schema-check.ts';
import {
	freezeState,
	listAgenda,
	listSignOffs,
	readSessionMeta,
	resultOf,
	SESSION_ROOTS,
	SESSION_STATUSES,
	type SessionMeta,
	type Tally,
	tallyVotes,
	VOTE_CHOICES,
	type Vote,
	type VoteChoice
} from './session-doc.ts';

/** Meta fields only the chair changes; `frozenHash`/`frozenAt` only the server. */
const CHAIR_META: readonly (keyof SessionMeta)[] = ['title', 'communityId', 'place', 'startsAt', 'topic', 'chairId', 'invited', 'status', 'closeReason'];
const SERVER_META: readonly (keyof SessionMeta)[] = ['frozenHash', 'frozenAt'];
const ROOT_NAMES = new Set<string>(Object.values(SESSION_ROOTS));
const MINUTES_PREFIX = 'minutes:';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const json = (v: unknown): unknown => (v instanceof Y.AbstractType ? v.toJSON() : v);
const id: Check = text(LIMITS.id, 1);
const isMinutesRoot = (root: string) => root.startsWith(MINUTES_PREFIX) && isValidId(root.slice(MINUTES_PREFIX.length));

function metaSchema(): Record<string, Check> {
	return {
		title: text(FIELD_LIMITS.sessionTitle, 1),
		communityId: id,
		place: orNull((v) => (plainObject(v) ? checkRecord('place', v, { lng: finite, lat: finite, label: text(FIELD_LIMITS.sessionPlaceLabel) })[0] ?? null : 'not a place')),
		startsAt: isoTime,
		topic: text(FIELD_LIMITS.sessionTopic),
		chairId: id,
		invited: arrayOf(id, 500),
		status: oneOf(SESSION_STATUSES),
		closeReason: orNull(text(FIELD_LIMITS.closeReason)),
		frozenHash: orNull(text(64)),
		frozenAt: orNull(isoTime)
	};
}

/** A proposal as stored: plain values, votes as userId → vote. */
interface RawProposal {
	[key: string]: unknown;
	votes: Record<string, unknown>;
}

function rawRecords(doc: Y.Doc, root: string): Map<string, Record<string, unknown> | undefined | unknown> {
	const out = new Map<string, unknown>();
	doc.getMap(root).forEach((v, k) => out.set(k, json(v)));
	return out;
}

function rawProposal(doc: Y.Doc, pid: string): RawProposal | undefined | null {
	const m = doc.getMap(SESSION_ROOTS.proposals).get(pid);
	if (m === undefined) return undefined;
	if (!(m instanceof Y.Map) || !(m.get('votes') instanceof Y.Map)) return null;
	return m.toJSON() as RawProposal;
}

const votesIn = (p: RawProposal): Vote[] =>
	Object.entries(p.votes)
		.filter(([, v]) => plainObject(v) && (VOTE_CHOICES as readonly unknown[]).includes(v.choice))
		.map(([userId, v]) => ({ userId, choice: (v as { choice: VoteChoice }).choice, at: String((v as { at?: unknown }).at ?? '') }));

function checkMeta(before: Y.Doc, after: Y.Doc, isChair: boolean, out: string[]): void {
	const mb = readSessionMeta(before);
	const ma = readSessionMeta(after);
	const raw = after.getMap(SESSION_ROOTS.meta).toJSON();
	for (const key of SERVER_META) if (!same(mb[key], ma[key])) out.push(`meta.${key} is written by the server only`);
	if (!isChair) for (const key of CHAIR_META) if (!same(mb[key], ma[key])) out.push(`meta.${key} is changed by the chair only`);
	const rb = before.getMap(SESSION_ROOTS.meta).toJSON();
	const schema = metaSchema();
	for (const key of Object.keys(raw)) {
		if (same(rb[key], raw[key])) continue;
		if (!(key in schema)) out.push(`meta.${key} is not a field`);
		else {
			const bad = schema[key](raw[key]);
			if (bad) out.push(`meta.${key} ${bad}`);
		}
	}
}

function checkAttendance(before: Y.Doc, after: Y.Doc, keys: Set<string>, actor: Actor, isChair: boolean, out: string[]): void {
	const b = rawRecords(before, SESSION_ROOTS.attendance);
	const a = rawRecords(after, SESSION_ROOTS.attendance);
	for (const userId of keys) {
		if (same(b.get(userId), a.get(userId))) continue;
		if (userId !== actor.userId && !isChair) out.push(`attendance of ${userId} is marked by them or the chair only`);
		if (a.has(userId)) out.push(...checkRecord(`attendance of ${userId}`, a.get(userId), { name: text(LIMITS.name, 1), role: text(LIMITS.role), at: deviceTime(actor.now) }));
	}
}

function checkSignOffs(before: Y.Doc, after: Y.Doc, keys: Set<string>, actor: Actor, out: string[]): void {
	const b = new Map(listSignOffs(before).map((s) => [s.userId, s.at]));
	const raw = rawRecords(after, SESSION_ROOTS.signOffs);
	const present = after.getMap(SESSION_ROOTS.attendance);
	for (const userId of keys) {
		if (same(b.get(userId), raw.get(userId))) continue;
		if (userId !== actor.userId) out.push(`sign-off of ${userId} is given by them only`);
		else if (!raw.has(userId)) out.push(`sign-off of ${userId} withdrawn`);
		else {
			const bad = deviceTime(actor.now)(raw.get(userId));
			if (bad) out.push(`sign-off ${bad}`);
			if (!present.has(userId)) out.push(`sign-off of ${userId}, who is not marked present`);
			if (readSessionMeta(after).status !== 'closed') out.push(`sign-off of ${userId} before the chair closed the session`);
		}
	}
}

function checkProposals(before: Y.Doc, after: Y.Doc, keys: Set<string>, actor: Actor, isChair: boolean, out: string[]): Map<string, string[]> {
	const closedNow = new Map<string, string[]>();
	const present = after.getMap(SESSION_ROOTS.attendance);
	for (const pid of keys) {
		const old = rawProposal(before, pid);
		const p = rawProposal(after, pid);
		if (p === undefined) {
			if (old !== undefined) out.push(`proposal ${pid} removed`);
			continue;
		}
		if (p === null) {
			out.push(`proposal ${pid} is not a proposal record`);
			continue;
		}
		const { votes, ...fields } = p;
		out.push(
			...checkRecord(
				`proposal ${pid}`,
				fields,
				{
					text: text(FIELD_LIMITS.proposalText, 1),
					agendaItemId: id,
					by: id,
					at: isoTime,
					status: oneOf(['draft', 'open', 'closed']),
					tally: (v) => checkRecord('tally', v, { for: finite, against: finite, abstain: finite })[0] ?? null,
					result: oneOf(['adopted', 'rejected']),
					counted: arrayOf(id, 1000)
				},
				['tally', 'result', 'counted']
			)
		);
		if (old === undefined || old === null) {
			if (!isValidId(pid)) out.push(`proposal id ${String(pid).slice(0, 80)} is not an id`);
			if (p.by !== actor.userId) out.push(`proposal ${pid} drafted in the name of ${String(p.by)}`);
			if (p.status !== 'draft' && !isChair) out.push(`proposal ${pid} opened for a vote by someone not the chair`);
			if (!present.has(actor.userId)) out.push(`proposal ${pid} drafted by someone not marked present`);
			const bad = deviceTime(actor.now)(p.at);
			if (bad) out.push(`proposal ${pid} time ${bad}`);
		} else {
			if (old.status !== p.status && !isChair) out.push(`proposal ${pid} status changed by someone not the chair`);
			if (old.status === 'closed' && p.status !== 'closed') out.push(`proposal ${pid} reopened after its vote closed`);
			if (old.status === 'closed' && (!same(old.tally, p.tally) || old.result !== p.result || !same(old.counted, p.counted)))
				out.push(`proposal ${pid} recorded tally changed after the close`);
			if (old.text !== p.text || old.by !== p.by || old.agendaItemId !== p.agendaItemId || old.at !== p.at) out.push(`proposal ${pid} rewritten`);
		}
		// the votes: each the sender's own, once, by someone present, on a proposal put to the vote
		const oldVotes = old ? old.votes : {};
		for (const voter of new Set([...Object.keys(oldVotes), ...Object.keys(votes)])) {
			if (same(oldVotes[voter], votes[voter])) continue;
			if (voter !== actor.userId) {
				out.push(`vote of ${voter} on ${pid} cast by ${actor.userId}`);
				continue;
			}
			if (voter in oldVotes) {
				out.push(`vote of ${voter} on ${pid} changed: each participant votes once`);
				continue;
			}
			out.push(...checkRecord(`vote of ${voter} on ${pid}`, votes[voter], { choice: oneOf(VOTE_CHOICES), at: deviceTime(actor.now) }));
			if (!present.has(voter)) out.push(`vote of ${voter} on ${pid}, who is not marked present`);
			if ((old?.status ?? 'draft') === 'draft') out.push(`vote of ${voter} on ${pid} before the vote was opened`);
		}
		// the close: what the counted votes give, counted from votes on record
		if (p.status === 'closed' && old?.status !== 'closed') {
			const counted = Array.isArray(p.counted) ? (p.counted as unknown[]) : [];
			const recorded = new Map(votesIn(p).map((v) => [v.userId, v]));
			if (counted.some((u) => typeof u !== 'string' || !recorded.has(u))) out.push(`proposal ${pid} closed counting voters with no vote on record`);
			else {
				const tally: Tally = tallyVotes(counted.map((u) => recorded.get(u as string)!));
				if (!same(p.tally, tally) || p.result !== resultOf(tally))
					out.push(`proposal ${pid} closed with a tally or result its counted votes do not give`);
			}
			closedNow.set(pid, [...recorded.keys()]);
		}
	}
	return closedNow;
}

function checkAgenda(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor, out: string[]): void {
	if ((change.deleted.get(SESSION_ROOTS.agenda) ?? 0) > 0) out.push('agenda items are not removed');
	const b = new Map(listAgenda(before).map((i) => [i.id, i]));
	const raws = after.getArray(SESSION_ROOTS.agenda).toArray();
	const fields = { id, title: text(FIELD_LIMITS.agendaTitle, 1), order: finite, discussed: bool, by: id, at: isoTime };
	for (const m of raws) {
		if (!(m instanceof Y.Map)) {
			out.push('agenda item is not a record');
			continue;
		}
		const raw = m.toJSON();
		const old = b.get(String(raw.id));
		if (old && same({ ...old }, { ...old, ...raw })) continue;
		out.push(...checkRecord('agenda item', raw, fields));
		if (!old) {
			if (raw.by !== actor.userId) out.push(`agenda item ${String(raw.id)} added in the name of ${String(raw.by)}`);
		} else if (old.title !== raw.title || old.by !== raw.by || old.at !== raw.at) out.push(`agenda item ${old.id} rewritten`);
	}
}

function checkRecords(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor, out: string[]): void {
	const resolutionKeys = change.keys.get(SESSION_ROOTS.resolutions) ?? new Set<string>();
	const rb = rawRecords(before, SESSION_ROOTS.resolutions);
	const ra = rawRecords(after, SESSION_ROOTS.resolutions);
	for (const rid of resolutionKeys) {
		if (same(rb.get(rid), ra.get(rid))) continue;
		if (!ra.has(rid)) out.push(`resolution ${rid} removed`);
		else if (rb.has(rid)) out.push(`resolution ${rid} rewritten`);
		else {
			const r = ra.get(rid);
			out.push(...checkRecord(`resolution ${rid}`, r, { text: text(FIELD_LIMITS.resolutionText, 1), agendaItemId: id, proposalId: orNull(id), by: id, at: deviceTime(actor.now) }));
			if (plainObject(r) && r.by !== actor.userId) out.push(`resolution ${rid} recorded in the name of ${String(r.by)}`);
		}
	}
	const itemKeys = change.keys.get(SESSION_ROOTS.actionItems) ?? new Set<string>();
	const ib = rawRecords(before, SESSION_ROOTS.actionItems);
	const ia = rawRecords(after, SESSION_ROOTS.actionItems);
	const fields = {
		resolutionId: id,
		text: text(FIELD_LIMITS.actionItemText, 1),
		owner: text(LIMITS.name, 1),
		due: (v: unknown) => (typeof v === 'string' && DATE_RE.test(v) && !Number.isNaN(Date.parse(v)) ? null : 'not a date'),
		status: oneOf(['open', 'done'])
	};
	for (const iid of itemKeys) {
		const b = ib.get(iid);
		const a = ia.get(iid);
		if (same(b, a)) continue;
		if (a === undefined) out.push(`action item ${iid} removed`);
		else {
			out.push(...checkRecord(`action item ${iid}`, a, fields));
			if (plainObject(a) && plainObject(b) && !same({ ...b, status: null }, { ...a, status: null })) out.push(`action item ${iid} rewritten`);
		}
	}
}

/**
 * The rules `actor` broke by turning `before` into `after` (empty when none), and the voters
 * on record of each proposal this change closed.
 */
export function judgeSession(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor): { violations: string[]; closed: Map<string, string[]> } {
	const out: string[] = [];
	const closed = new Map<string, string[]>();
	for (const root of change.roots) if (!ROOT_NAMES.has(root) && !isMinutesRoot(root)) out.push(`root ${root.slice(0, 80)} is not part of a session document`);
	if (change.roots.size > 0 && readSessionMeta(before).frozenHash) out.push('the session is frozen');
	// typing in the minutes: nothing else to judge
	if ([...change.roots].every(isMinutesRoot)) return { violations: out, closed };
	const isChair = (() => {
		const chair = readSessionMeta(before).chairId;
		return chair !== '' && chair === actor.userId;
	})();
	const keys = (root: string) => change.keys.get(root) ?? new Set<string>();
	if (change.roots.has(SESSION_ROOTS.meta)) checkMeta(before, after, isChair, out);
	if (change.roots.has(SESSION_ROOTS.attendance)) checkAttendance(before, after, keys(SESSION_ROOTS.attendance), actor, isChair, out);
	if (change.roots.has(SESSION_ROOTS.signOffs)) checkSignOffs(before, after, keys(SESSION_ROOTS.signOffs), actor, out);
	if (change.roots.has(SESSION_ROOTS.proposals))
		for (const [pid, voters] of checkProposals(before, after, keys(SESSION_ROOTS.proposals), actor, isChair, out)) closed.set(pid, voters);
	if (change.roots.has(SESSION_ROOTS.agenda)) checkAgenda(before, after, change, actor, out);
	checkRecords(before, after, change, actor, out);
	return { violations: out, closed };
}

/** Writes the count of every vote on record at the close (the server's follow-up to a close). */
function sealTallies(live: Y.Doc, closed: Map<string, string[]>): void {
	// A session closed for good in the same update is due to freeze: the server takes its hash
	// after this count (FreezeExtension settles the rules' writes first), so the frozen record
	// holds what the recorded votes give. Once frozen, nothing is written.
	if (freezeState(live) === 'frozen') return;
	live.transact(() => {
		for (const [pid, voters] of closed) {
			const m = live.getMap(SESSION_ROOTS.proposals).get(pid);
			if (!(m instanceof Y.Map)) continue;
			const p = m.toJSON() as RawProposal;
			const recorded = new Map(votesIn(p).map((v) => [v.userId, v]));
			const counted = voters.filter((u) => recorded.has(u)).sort();
			const tally = tallyVotes(counted.map((u) => recorded.get(u)!));
			if (same([...((p.counted as string[]) ?? [])].sort(), counted) && same(p.tally, tally)) continue;
			m.set('counted', counted);
			m.set('tally', tally);
			m.set('result', resultOf(tally));
		}
	});
}

export const sessionRules: DocRules = {
	judge(before, after, change, actor) {
		const { violations, closed } = judgeSession(before, after, change, actor);
		return { violations, followUp: violations.length === 0 && closed.size > 0 ? (live) => sealTallies(live, closed) : null };
	}
};
