/**
 * Which changes to a session document a given user may make, judged on the server for every
 * update a connection sends (server/collab/SessionRulesExtension.ts). The client's named
 * mutations (session-doc.ts) already keep these rules; this catches a client that writes raw
 * Yjs ops past them: a vote or sign-off under someone else's id, a participant opening or
 * closing a vote, closing the meeting or changing the chair, anyone but the server writing the
 * frozen hash.
 *
 * Deliberately allowed: a participant's own vote arriving after the chair closed the vote (it
 * was cast offline while open; the recorded tally does not count it, the readers show it as
 * late). Refusing it would leave that device re-sending the same update for ever.
 */
import type * as Y from 'yjs';
import { listAttendance, listProposals, listSignOffs, readSessionMeta, type Proposal, type SessionMeta } from './session-doc.ts';

/** Meta fields only the chair changes; `frozenHash`/`frozenAt` only the server. */
const CHAIR_META: readonly (keyof SessionMeta)[] = ['title', 'communityId', 'place', 'startsAt', 'topic', 'chairId', 'invited', 'status', 'closeReason'];
const SERVER_META: readonly (keyof SessionMeta)[] = ['frozenHash', 'frozenAt'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedKeys<T>(before: Map<string, T>, after: Map<string, T>): string[] {
	const keys = new Set([...before.keys(), ...after.keys()]);
	return [...keys].filter((k) => !same(before.get(k), after.get(k)));
}

const votesOf = (p: Proposal | undefined) => new Map((p?.votes ?? []).map((v) => [v.userId, v]));

/**
 * The rules `userId` broke by turning `before` into `after` (empty when none). The chair is
 * the chair of `before` (a new chair cannot approve their own appointment).
 */
export function sessionChangeViolations(before: Y.Doc, after: Y.Doc, userId: string): string[] {
	const out: string[] = [];
	const mb = readSessionMeta(before);
	const ma = readSessionMeta(after);
	const isChair = mb.chairId !== '' && mb.chairId === userId;

	for (const key of SERVER_META) if (!same(mb[key], ma[key])) out.push(`meta.${key} is written by the server only`);
	if (!isChair) for (const key of CHAIR_META) if (!same(mb[key], ma[key])) out.push(`meta.${key} is changed by the chair only`);

	const attendance = changedKeys(
		new Map(listAttendance(before).map((a) => [a.userId, a])),
		new Map(listAttendance(after).map((a) => [a.userId, a]))
	);
	for (const id of attendance) if (id !== userId && !isChair) out.push(`attendance of ${id} is marked by them or the chair only`);

	const signOffs = changedKeys(
		new Map(listSignOffs(before).map((s) => [s.userId, s.at])),
		new Map(listSignOffs(after).map((s) => [s.userId, s.at]))
	);
	for (const id of signOffs) if (id !== userId) out.push(`sign-off of ${id} is given by them only`);

	const pb = new Map(listProposals(before).map((p) => [p.id, p]));
	for (const p of listProposals(after)) {
		const old = pb.get(p.id);
		if (!old) {
			if (p.by !== userId) out.push(`proposal ${p.id} drafted in the name of ${p.by}`);
			if (p.status !== 'draft' && !isChair) out.push(`proposal ${p.id} opened for a vote by someone not the chair`);
		} else {
			if (old.status !== p.status && !isChair) out.push(`proposal ${p.id} status changed by someone not the chair`);
			if (old.status === 'closed' && (!same(old.tally, p.tally) || old.result !== p.result) && !isChair)
				out.push(`proposal ${p.id} tally or result changed by someone not the chair`);
			if (old.text !== p.text || old.by !== p.by || old.agendaItemId !== p.agendaItemId) out.push(`proposal ${p.id} rewritten`);
		}
		for (const voter of changedKeys(votesOf(old), votesOf(p))) if (voter !== userId) out.push(`vote of ${voter} on ${p.id} cast by ${userId}`);
	}
	for (const id of pb.keys()) if (!listProposals(after).some((p) => p.id === id)) out.push(`proposal ${id} removed`);
	return out;
}
