/**
 * Opening and closing one deliberation session on this device: its row in IndexedDB with the
 * Y.Doc (y-dexie), the local provider and the network provider on the same document, and the
 * sync-state tracking, as for grids (grid-session.ts). The network provider's awareness says
 * who is here now and carries each editor's caret; this device announces its user in it.
 */
import type * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { DexieYProvider } from 'y-dexie';
import { buildDocName } from '$lib/domain/doc-names.ts';
import { db, type SessionRow } from './db.ts';
import { openNetworkProvider } from './connection.ts';
import { trackDocSync } from './doc-sync.ts';

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
	close(): void;
}

const PALETTE = ['#d4380d', '#0958d9', '#389e0d', '#c41d7f', '#7c3aed', '#d48806', '#08979c', '#531dab'];

/** A stable colour per user, the same on every device. */
export function userColour(userId: string): string {
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PALETTE[h % PALETTE.length];
}

export async function openSession(sessionId: string, user: { id: string; displayName: string }): Promise<OpenSession> {
	let row = await db().sessions.get(sessionId);
	if (!row) {
		await db().sessions.add({ id: sessionId, title: '', communityId: '' } as SessionRow);
		row = await db().sessions.get(sessionId);
		if (!row) throw new Error(`could not create session ${sessionId} on this device`);
	}
	const doc = row.doc;
	const name = buildDocName({ kind: 'session', sessionId });
	const local = DexieYProvider.load(doc);
	const network = openNetworkProvider(name, doc);
	const sync = trackDocSync(name, doc, network, local.whenLoaded);
	const me: AwarenessUser = { id: user.id, name: user.displayName, color: userColour(user.id) };
	network.awareness?.setLocalStateField('user', me);
	const listeners: ((data: { scope: string }) => void)[] = [];
	let closed = false;
	return {
		sessionId,
		doc,
		provider: network,
		whenLoaded: local.whenLoaded,
		onReadOnly(callback) {
			const listener = ({ scope }: { scope: string }) => callback(scope === 'readonly');
			listeners.push(listener);
			network.on('authenticated', listener);
			if (network.authorizedScope) listener({ scope: network.authorizedScope });
		},
		close() {
			if (closed) return;
			closed = true;
			for (const l of listeners) network.off('authenticated', l);
			sync.stop();
			network.destroy();
			DexieYProvider.release(doc);
		}
	};
}
