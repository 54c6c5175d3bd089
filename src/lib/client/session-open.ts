/**
 * Opening and closing deliberation sessions on this device, through the per-tab document
 * registry (doc-registry.ts), as for grids (grid-session.ts). The network provider's awareness
 * says who is here now and carries each editor's caret; this tab announces its user in it.
 *
 * When the last user closes a session with edits not yet on the server (a vote cast offline,
 * minutes typed in the courtyard), it stays connected in the background until they are;
 * sessions left with such edits by an earlier visit are opened in the background at start.
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { buildDocName, parseDocName } from '$lib/domain/doc-names.ts';
import { userColour } from '$lib/domain/presence.ts';
import { db, type SessionRow } from './db.ts';
import { createDocRegistry, type DocEntry } from './doc-registry.ts';

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
	 * (server/collab/RulesExtension.ts); the session then stops syncing on this device.
	 */
	onRefused(callback: () => void): void;
	close(): void;
}

interface Entry extends DocEntry {
	/** The server refused an edit of this device: no more attempts (they would all be refused). */
	refused: boolean;
	onRefused: Set<() => void>;
}

// the palette is the domain's: the server gives every presence entry its colour from it
export { userColour } from '$lib/domain/presence.ts';

const sessionDocName = (sessionId: string) => buildDocName({ kind: 'session', sessionId });

const sessions = createDocRegistry<SessionRow, Entry>({
	table: () => db().sessions,
	blankRow: (id) => ({ id, title: '', communityId: '' }),
	docName: sessionDocName,
	idOf: (name) => {
		const parsed = parseDocName(name);
		return parsed?.kind === 'session' ? parsed.sessionId : null;
	},
	extend: (base) => {
		const entry: Entry = { ...base, refused: false, onRefused: new Set() };
		const network = entry.network;
		network.on('close', ({ event }: { event?: { reason?: string } }) => {
			if (event?.reason !== 'session-rule' || entry.refused) return;
			// the same update would be sent and refused on every reconnect: stop here
			entry.refused = true;
			network.detach();
			for (const callback of entry.onRefused) callback();
		});
		return entry;
	},
	onUnused: (entry) => {
		if (entry.refused) return true;
		// nobody shows it: no longer "here" for the others, but connected until its edits are sent
		entry.network.awareness?.setLocalState(null);
		return false;
	}
});

/** Opens a session for `user`, who is announced in its awareness (who is here, carets). */
export async function openSession(sessionId: string, user: { id: string; displayName: string }): Promise<OpenSession> {
	const { entry, release } = await sessions.acquire(sessionId);
	const me: AwarenessUser = { id: user.id, name: user.displayName, color: userColour(user.id) };
	const awareness = entry.network.awareness;
	awareness?.setLocalState({ ...(awareness.getLocalState() ?? {}), user: me });
	const listeners: ((data: { scope: string }) => void)[] = [];
	const revoked: ((data: { event?: { reason?: string } }) => void)[] = [];
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
			// a role taken away closes the connection for good: show the session read-only
			const onClose = ({ event }: { event?: { reason?: string } }) => {
				if (event?.reason === 'access-revoked') callback(true);
			};
			revoked.push(onClose);
			entry.network.on('close', onClose);
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
			for (const l of revoked) entry.network.off('close', l);
			for (const c of refusedCallbacks) entry.onRefused.delete(c);
			release();
		}
	};
}

/** Opens, in the background, every session that still had this user's edits for the server. */
export function syncPendingSessionsInBackground(userId: string): Promise<void> {
	return sessions.syncPendingInBackground(userId);
}

/** Opens every session with this user's pending edits; resolves when all are on the server. */
export function syncAllPendingSessions(userId: string): Promise<void> {
	return sessions.syncAllPending(userId);
}

/** Disconnects and releases every session this tab holds open (before the device is wiped). */
export function closeAllSessions(): Promise<void> {
	return sessions.closeAll();
}
