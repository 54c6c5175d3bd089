/**
 * Opening and closing deliberation sessions on this device: a session's row in IndexedDB with
 * its Y.Doc (y-dexie), the local provider and the network provider on the same document, and
 * the sync-state tracking, as for grids (grid-session.ts). The network provider's awareness
 * says who is here now and carries each editor's caret; this tab announces its user in it.
 *
 * Each session is open at most once per tab, counted by its users. When the last user closes
 * it, a session with edits not yet on the server (a vote cast offline, minutes typed in the
 * courtyard) stays connected in the background until they are; sessions left with such edits
 * by an earlier visit are opened in the background at start.
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { DexieYProvider } from 'y-dexie';
import { buildDocName, parseDocName } from '$lib/domain/doc-names.ts';
import { db, type SessionRow } from './db.ts';
import { openNetworkProvider } from './connection.ts';
import { docsWithPendingEdits, trackDocSync, type DocSync } from './doc-sync.ts';

export interface AwarenessUser {
	id: string;
	name: string;
	color: string;
}

export interface OpenSession {
	sessionId: string;
	doc: Y.Doc;
	/** The network provider: TipTap's caret extension reads its awareness. */
	provider: HocuspocusProvider;
	whenLoaded: Promise<void>;
	/** Calls back with whether the server lets this user only read (after each authentication). */
	onReadOnly(callback: (readOnly: boolean) => void): void;
	/**
	 * Calls back when the server refused an edit from this device as against the session rules
	 * (server/collab/SessionRulesExtension.ts); the session then stops syncing on this device.
	 */
	onRefused(callback: () => void): void;
	close(): void;
}

interface Entry {
	sessionId: string;
	doc: Y.Doc;
	whenLoaded: Promise<void>;
	network: HocuspocusProvider;
	sync: DocSync;
	users: number;
	/** The server refused an edit of this device: no more attempts (they would all be refused). */
	refused: boolean;
	onRefused: Set<() => void>;
}

const entries = new Map<string, Promise<Entry>>();

const PALETTE = ['#d4380d', '#0958d9', '#389e0d', '#c41d7f', '#7c3aed', '#d48806', '#08979c', '#531dab'];

/** A stable colour per user, the same on every device. */
export function userColour(userId: string): string {
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PALETTE[h % PALETTE.length];
}

const sessionDocName = (sessionId: string) => buildDocName({ kind: 'session', sessionId });

async function load(sessionId: string): Promise<Entry> {
	let row = await db().sessions.get(sessionId);
	if (!row) {
		await db().sessions.add({ id: sessionId, title: '', communityId: '' } as SessionRow);
		row = await db().sessions.get(sessionId);
		if (!row) throw new Error(`could not create session ${sessionId} on this device`);
	}
	const doc = row.doc;
	const name = sessionDocName(sessionId);
	const local = DexieYProvider.load(doc);
	const network = openNetworkProvider(name, doc);
	const sync = trackDocSync(name, doc, network, local.whenLoaded);
	const entry: Entry = { sessionId, doc, whenLoaded: local.whenLoaded, network, sync, users: 0, refused: false, onRefused: new Set() };
	network.on('close', ({ event }: { event?: { reason?: string } }) => {
		if (event?.reason !== 'session-rule' || entry.refused) return;
		// the same update would be sent and refused on every reconnect: stop here
		entry.refused = true;
		network.detach();
		for (const callback of entry.onRefused) callback();
	});
	return entry;
}

function destroy(entry: Entry): void {
	entries.delete(entry.sessionId);
	entry.sync.stop();
	entry.network.destroy();
	DexieYProvider.release(entry.doc);
}

function release(entry: Entry, self: Promise<Entry>): void {
	entry.users--;
	if (entry.users > 0) return;
	if (entry.refused) return destroy(entry);
	// nobody shows it: no longer "here" for the others, but connected until its edits are sent
	entry.network.awareness?.setLocalState(null);
	void entry.sync.whenClean().then(() => {
		if (entry.users === 0 && entries.get(entry.sessionId) === self) destroy(entry);
	});
}

async function acquire(sessionId: string): Promise<{ entry: Entry; self: Promise<Entry> }> {
	let pending = entries.get(sessionId);
	if (!pending) {
		pending = load(sessionId);
		entries.set(sessionId, pending);
		pending.catch(() => entries.delete(sessionId));
	}
	const self = pending;
	const entry = await self;
	entry.users++;
	return { entry, self };
}

/** Opens a session for `user`, who is announced in its awareness (who is here, carets). */
export async function openSession(sessionId: string, user: { id: string; displayName: string }): Promise<OpenSession> {
	const { entry, self } = await acquire(sessionId);
	const me: AwarenessUser = { id: user.id, name: user.displayName, color: userColour(user.id) };
	const awareness = entry.network.awareness;
	awareness?.setLocalState({ ...(awareness.getLocalState() ?? {}), user: me });
	const listeners: ((data: { scope: string }) => void)[] = [];
	const refusedCallbacks: (() => void)[] = [];
	let closed = false;
	return {
		sessionId,
		doc: entry.doc,
		provider: entry.network,
		whenLoaded: entry.whenLoaded,
		onReadOnly(callback) {
			const listener = ({ scope }: { scope: string }) => callback(scope === 'readonly');
			listeners.push(listener);
			entry.network.on('authenticated', listener);
			if (entry.network.authorizedScope) listener({ scope: entry.network.authorizedScope });
		},
		onRefused(callback) {
			refusedCallbacks.push(callback);
			entry.onRefused.add(callback);
			if (entry.refused) callback();
		},
		close() {
			if (closed) return;
			closed = true;
			for (const l of listeners) entry.network.off('authenticated', l);
			for (const c of refusedCallbacks) entry.onRefused.delete(c);
			release(entry, self);
		}
	};
}

async function pendingSessionIds(userId: string): Promise<string[]> {
	const ids: string[] = [];
	for (const name of await docsWithPendingEdits(userId)) {
		const parsed = parseDocName(name);
		if (parsed?.kind === 'session') ids.push(parsed.sessionId);
	}
	return ids;
}

/** Opens, in the background, every session that still had this user's edits for the server. */
export async function syncPendingSessionsInBackground(userId: string): Promise<void> {
	for (const id of await pendingSessionIds(userId)) {
		const { entry, self } = await acquire(id);
		release(entry, self); // stays connected until its edits are on the server
	}
}

/** Opens every session with this user's pending edits; resolves when all are on the server. */
export async function syncAllPendingSessions(userId: string): Promise<void> {
	const waits: Promise<void>[] = [];
	for (const id of await pendingSessionIds(userId)) {
		const { entry, self } = await acquire(id);
		waits.push(entry.sync.whenClean());
		release(entry, self);
	}
	await Promise.all(waits);
}

/** Disconnects and releases every session this tab holds open (before the device is wiped). */
export async function closeAllSessions(): Promise<void> {
	for (const pending of [...entries.values()]) {
		const entry = await pending.catch(() => null);
		if (entry) destroy(entry);
	}
	entries.clear();
}
