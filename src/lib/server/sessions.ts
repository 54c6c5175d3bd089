/**
 * Deliberation sessions on the server: the record that places `session:<id>` in its community
 * (the `records` table), the document's first state, and the community's session list.
 *
 * Creating a session writes its record and the document's meta (initSession) as the first
 * entry of the document's update log, attributed to its creator, so whoever opens the
 * document next finds it titled and chaired.
 */
import * as Y from 'yjs';
import { buildDocName } from '../domain/doc-names.ts';
import { newId } from '../domain/ids.ts';
import {
	initSession,
	isOverdue,
	listActionItems,
	listAttendance,
	readSessionMeta,
	type ActionItem,
	type SessionPlace,
	type SessionStatus
} from '../domain/session-doc.ts';
import { readStoredDoc } from './stored-doc.ts';
import type { AsyncStore } from './async-store.ts';

export interface SessionSummary {
	id: string;
	communityId: string;
	title: string;
	topic: string;
	startsAt: string;
	place: SessionPlace | null;
	chairId: string;
	status: SessionStatus;
	createdBy: string;
	createdAt: string;
	/** SHA-256 of the frozen final state, once the server froze it. */
	frozenHash: string | null;
}

export interface NewSessionInput {
	title: string;
	startsAt: string;
	topic: string;
	place: SessionPlace | null;
	invited: string[];
}

export const sessionDocName = (sessionId: string): string => buildDocName({ kind: 'session', sessionId });

export async function sessionSummary(store: AsyncStore, sessionId: string): Promise<SessionSummary | null> {
	const record = await store.recordDetails('session', sessionId);
	if (!record) return null;
	const meta = readSessionMeta(await readStoredDoc(store, sessionDocName(sessionId)));
	return {
		id: record.id,
		communityId: record.communityId,
		title: meta.title || record.title,
		topic: meta.topic,
		startsAt: meta.startsAt,
		place: meta.place,
		chairId: meta.chairId,
		status: meta.status,
		createdBy: record.createdBy,
		createdAt: new Date(record.createdAt).toISOString(),
		frozenHash: record.frozenHash
	};
}

/** The community's sessions, soonest start first. */
export async function listSessions(store: AsyncStore, communityId: string): Promise<SessionSummary[]> {
	const records = await store.recordsOfCommunity('session', communityId);
	const summaries = await Promise.all(records.map((r) => sessionSummary(store, r.id)));
	return summaries
		.filter((s): s is SessionSummary => s !== null)
		.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** Creates the record and the document's first state; the creator chairs. Returns the summary. */
export async function createSession(
	store: AsyncStore,
	communityId: string,
	input: NewSessionInput,
	userId: string,
	now: number = Date.now()
): Promise<SessionSummary> {
	const id = newId(now);
	const doc = new Y.Doc();
	// Throws the domain's DomainError on invalid input, before anything is stored.
	initSession(doc, { ...input, communityId, chairId: userId });
	await store.transaction(async (tx) => {
		await tx.createRecord({ kind: 'session', id, communityId, title: input.title.trim(), createdBy: userId, createdAt: now });
		await tx.appendUpdate(sessionDocName(id), userId, Y.encodeStateAsUpdate(doc), now);
	});
	return (await sessionSummary(store, id))!;
}

export interface ActionItemListing extends ActionItem {
	sessionId: string;
	sessionTitle: string;
	ownerName: string;
	overdue: boolean;
	/**
	 * The session's minutes are signed off and frozen: the item can no longer be marked done in
	 * them, so its owner is told to report it to the chair (named here) instead.
	 */
	frozen: boolean;
	chairName: string;
}

/**
 * Every action item of the community's sessions, with its session and whether it is late on
 * `today` (YYYY-MM-DD), soonest due first. The owner is a member's user id (named from the
 * session's attendance, else the account).
 */
export async function communityActionItems(store: AsyncStore, communityId: string, today: string): Promise<ActionItemListing[]> {
	const out: ActionItemListing[] = [];
	for (const record of await store.recordsOfCommunity('session', communityId)) {
		const doc = await readStoredDoc(store, sessionDocName(record.id));
		const items = listActionItems(doc);
		if (items.length === 0) continue;
		const title = readSessionMeta(doc).title || record.title;
		const names = new Map(listAttendance(doc).map((a) => [a.userId, a.name]));
		const meta = readSessionMeta(doc);
		const chairName = names.get(meta.chairId) ?? (await store.userById(meta.chairId))?.displayName ?? '';
		const frozen = record.frozenHash !== null || meta.frozenHash !== null;
		for (const item of items) {
			const ownerName = names.get(item.owner) ?? (await store.userById(item.owner))?.displayName ?? item.owner;
			out.push({
				...item,
				sessionId: record.id,
				sessionTitle: title,
				ownerName,
				overdue: isOverdue(item, today),
				frozen,
				chairName
			});
		}
	}
	return out.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}
