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
import type { Store } from './store.ts';

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

export function sessionSummary(store: Store, sessionId: string): SessionSummary | null {
	const record = store.recordDetails('session', sessionId);
	if (!record) return null;
	const meta = readSessionMeta(readStoredDoc(store, sessionDocName(sessionId)));
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
export function listSessions(store: Store, communityId: string): SessionSummary[] {
	return store
		.recordsOfCommunity('session', communityId)
		.map((r) => sessionSummary(store, r.id))
		.filter((s): s is SessionSummary => s !== null)
		.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** Creates the record and the document's first state; the creator chairs. Returns the summary. */
export function createSession(store: Store, communityId: string, input: NewSessionInput, userId: string, now: number = Date.now()): SessionSummary {
	const id = newId(now);
	const doc = new Y.Doc();
	// Throws the domain's DomainError on invalid input, before anything is stored.
	initSession(doc, { ...input, communityId, chairId: userId });
	store.transaction(() => {
		store.createRecord({ kind: 'session', id, communityId, title: input.title.trim(), createdBy: userId, createdAt: now });
		store.appendUpdate(sessionDocName(id), userId, Y.encodeStateAsUpdate(doc), now);
	});
	return sessionSummary(store, id)!;
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
export function communityActionItems(store: Store, communityId: string, today: string): ActionItemListing[] {
	const out: ActionItemListing[] = [];
	for (const record of store.recordsOfCommunity('session', communityId)) {
		const doc = readStoredDoc(store, sessionDocName(record.id));
		const items = listActionItems(doc);
		if (items.length === 0) continue;
		const title = readSessionMeta(doc).title || record.title;
		const names = new Map(listAttendance(doc).map((a) => [a.userId, a.name]));
		const meta = readSessionMeta(doc);
		const chairName = names.get(meta.chairId) ?? store.userById(meta.chairId)?.displayName ?? '';
		const frozen = record.frozenHash !== null || meta.frozenHash !== null;
		for (const item of items) {
			out.push({
				...item,
				sessionId: record.id,
				sessionTitle: title,
				ownerName: names.get(item.owner) ?? store.userById(item.owner)?.displayName ?? item.owner,
				overdue: isOverdue(item, today),
				frozen,
				chairName
			});
		}
	}
	return out.sort((a, b) => a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}
