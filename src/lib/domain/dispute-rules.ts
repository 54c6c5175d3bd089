/**
 * Which changes to a dispute document a given user may make, judged on the server on the state
 * an update leaves once integrated (design.md §9): state before, state after, actor → the
 * rules broken. The named mutations in dispute-doc.ts keep these rules; this catches a client
 * that writes raw Yjs past them.
 *
 * - The step log and the notes are append-only: every entry of `before` is in `after`,
 *   unchanged and in the same order.
 * - A new step is taken by the connection's own user, by a role that may take it
 *   (ACTION_ROLES), a department's steps by a member of that department, with the fields its
 *   action needs; the server's own steps (autoEscalate) and `receipts` come from the server only.
 *   Whether a step fits the case is not judged here: a step that lost a race to another
 *   device's is kept and marked superseded by the fold (dispute-flow.ts), so an offline device
 *   is never stuck re-sending a refused update.
 * - Where the case sits (community, grid) and who registered it never change after intake.
 * - The agreement's confirmations are recorded in the actor's own name; its text is written by
 *   a handler; once frozen (the server writes the hash) nothing in it changes.
 */
import type * as Y from 'yjs';
import { ACTION_ROLES, stepShapeOk } from './dispute-flow.ts';
import {
	listNotes,
	listParties,
	listSteps,
	NOTE_KINDS,
	readAgreement,
	readCaseInfo,
	readReceipts,
	DISPUTE_ROOTS,
	type Note
} from './dispute-doc.ts';
import { isOneOf, isText, LIMITS, type Step } from './dispute-schema.ts';
import type { Role } from './roles.ts';

export interface DisputeActor {
	userId: string;
	/** The actor's roles at this case's place. */
	roles: readonly Role[];
	/** The departments the actor belongs to (职能部门 users). */
	departments: readonly string[];
	/** The server's own edits (receipts, auto-escalation, freezing). */
	isServer: boolean;
}

/** Most steps one update may add: a day's offline work on one case fits many times over. */
export const MAX_NEW_STEPS = 50;
const HANDLER_ROLES: readonly Role[] = ['mediator', 'policeDeputy', 'admin'];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether `before` is an in-order subsequence of `after` (by id, with equal content). */
function appendOnly<T extends { id: string }>(before: readonly T[], after: readonly T[]): boolean {
	const byId = new Map(after.map((x, i) => [x.id, i]));
	let last = -1;
	for (const x of before) {
		const i = byId.get(x.id);
		if (i === undefined || i <= last || !same(x, after[i])) return false;
		last = i;
	}
	return true;
}

function stepViolations(s: Step, actor: DisputeActor): string[] {
	const out: string[] = [];
	if (!stepShapeOk(s)) out.push(`step ${s.id} (${String(s.action)}) is malformed`);
	const allowed = ACTION_ROLES[s.action] ?? [];
	if (actor.isServer) {
		if (!allowed.includes('system') && s.by !== 'system') out.push(`server step ${s.id} not in the server's name`);
		return out;
	}
	if (s.by !== actor.userId) out.push(`step ${s.id} taken in the name of ${s.by}`);
	if (allowed.includes('department')) {
		const dept = s.departments?.[0];
		if (dept === undefined || !actor.departments.includes(dept)) out.push(`step ${s.id} for department ${String(dept)} by a non-member`);
	} else if (!actor.roles.some((r) => allowed.includes(r))) {
		out.push(`step ${s.id} (${s.action}) not open to roles ${actor.roles.join(',') || 'none'}`);
	}
	return out;
}

function noteViolations(n: Note, actor: DisputeActor): string[] {
	const out: string[] = [];
	if (!isOneOf(NOTE_KINDS, n.kind) || !isText(n.text, LIMITS.note) || !isText(n.id, LIMITS.id) || typeof n.at !== 'string')
		out.push(`note ${String(n.id)} is malformed`);
	if (!actor.isServer && n.by !== actor.userId) out.push(`note ${String(n.id)} written in the name of ${n.by}`);
	return out;
}

/** The rules `actor` broke by turning `before` into `after` (empty when none). */
export function disputeChangeViolations(before: Y.Doc, after: Y.Doc, actor: DisputeActor): string[] {
	const out: string[] = [];

	// where the case sits and who registered it: set once, at intake
	const ib = readCaseInfo(before);
	const ia = readCaseInfo(after);
	if (ib && (!ia || ib.communityId !== ia.communityId || ib.gridId !== ia.gridId || ib.createdBy !== ia.createdBy || ib.createdAt !== ia.createdAt))
		out.push('case place or registration rewritten');
	if (!ib && ia && !actor.isServer && ia.createdBy !== actor.userId) out.push(`case registered in the name of ${ia.createdBy}`);
	if (ib && ia && !same(ib, ia) && !actor.isServer && !actor.roles.some((r) => HANDLER_ROLES.includes(r))) out.push('case details changed by someone not handling it');
	if (ia) {
		if (!isText(ia.summary, LIMITS.summary)) out.push('case summary missing or too long');
	}

	const sb = listSteps(before);
	const sa = listSteps(after);
	if (!appendOnly(sb, sa)) out.push('step log rewritten');
	const known = new Set(sb.map((s) => s.id));
	const fresh = sa.filter((s) => !known.has(s.id));
	if (fresh.length > MAX_NEW_STEPS) out.push(`${fresh.length} steps in one update`);
	if (new Set(sa.map((s) => s.id)).size !== sa.length) out.push('two steps with one id');
	for (const s of fresh.slice(0, MAX_NEW_STEPS)) out.push(...stepViolations(s, actor));

	if (!actor.isServer && !same([...readReceipts(before)], [...readReceipts(after)])) out.push('receipts are written by the server only');

	const nb = listNotes(before);
	const na = listNotes(after);
	const knownNotes = new Set(nb.map((n) => n.id));
	if (!nb.every((n) => na.some((m) => m.id === n.id && same(n, m)))) out.push('notes rewritten');
	for (const n of na.filter((m) => !knownNotes.has(m.id))) out.push(...noteViolations(n, actor));

	const pb = listParties(before);
	const pa = listParties(after);
	if (!same(pb, pa)) {
		if (!actor.isServer && ib && !actor.roles.some((r) => HANDLER_ROLES.includes(r))) out.push('parties changed by someone not handling the case');
		for (const p of pa) {
			if (!isText(p.name, LIMITS.name) || !isText(p.phone, LIMITS.phone, true)) out.push(`party ${p.id} is malformed`);
		}
		if (pa.length > LIMITS.parties) out.push('too many parties');
	}

	const ab = readAgreement(before);
	const aa = readAgreement(after);
	if (!same(ab, aa)) {
		if (ab?.frozenHash) out.push('the agreement is frozen');
		else if (!actor.isServer) {
			if (aa?.frozenHash || aa?.frozenAt) out.push('the agreement is frozen by the server only');
			if (aa && !isText(aa.text, LIMITS.agreement)) out.push('agreement text missing or too long');
			const textChanged = ab?.text !== aa?.text || ab?.draftedBy !== aa?.draftedBy;
			if (textChanged && !actor.roles.some((r) => HANDLER_ROLES.includes(r))) out.push('agreement drafted by someone not handling the case');
			if (textChanged && aa && aa.draftedBy !== actor.userId) out.push(`agreement drafted in the name of ${aa.draftedBy}`);
			const confirmedBefore = new Map((ab?.confirmations ?? []).map((c) => [c.partyId, c]));
			for (const c of aa?.confirmations ?? []) {
				const old = confirmedBefore.get(c.partyId);
				if (old && same(old, c)) continue;
				if (c.by !== actor.userId) out.push(`confirmation of party ${c.partyId} recorded in the name of ${c.by}`);
				if (!pa.some((p) => p.id === c.partyId)) out.push(`confirmation for unknown party ${c.partyId}`);
			}
		}
	}

	// nothing else at the top level: unknown roots are junk a client has no business writing
	for (const key of after.share.keys()) {
		if (!(Object.values(DISPUTE_ROOTS) as string[]).includes(key) && !before.share.has(key)) {
			const type = after.share.get(key);
			if (type && (type._start !== null || type._map.size > 0)) out.push(`unknown root ${key}`);
		}
	}
	return out;
}
