/**
 * The device database "tongxin" (IndexedDB through Dexie). Each grid and session row carries
 * its Y.Doc as a y-dexie property: y-dexie keeps the document's updates in its own table and
 * compacts them. Plain tables hold the cached login and each document's sync state.
 */
import { Dexie, type EntityTable } from 'dexie';
import yDexie from 'y-dexie';
import type * as Y from 'yjs';
import type { Membership } from '$lib/domain';

export interface GridRow {
	id: string;
	name: string;
	communityId: string;
	doc: Y.Doc;
}

export interface SessionRow {
	id: string;
	title: string;
	communityId: string;
	doc: Y.Doc;
}

export interface User {
	id: string;
	username: string;
	displayName: string;
	memberships: Membership[];
}

/**
 * The one cached login of this device (id is always 'current'): who, and since when. Never the
 * session token: that lives only in the HttpOnly cookie, out of reach of page scripts.
 */
export interface AccountRow {
	id: 'current';
	user: User;
	lastLoginAt: string;
	/** When the server last accepted the session: the offline window runs from here. */
	lastValidatedAt?: string;
	/** The deployment's offline window in days, when the server said (else OFFLINE_GRACE_DAYS). */
	offlineGraceDays?: number;
	/** Set when the server refused the token; local work goes on, sync waits for a new login. */
	expired?: boolean;
}

/** Per document name: the last state vector the server confirmed holding. */
export interface SyncStateRow {
	docName: string;
	confirmedStateVector: Uint8Array;
	confirmedAt: string;
	/** Yjs client ids that wrote this document on this device since the confirmation. */
	localClients: number[];
	/** The last count of edits the server lacked, so closed documents with work to send are known. */
	pendingEdits: number;
	/** The user who made the local edits: only their login sends them (background sync). */
	userId?: string;
	/**
	 * Deletions made on this device the server has not confirmed, one entry per transaction that
	 * only deleted ([client, clock, length] ranges): a state vector does not show them.
	 */
	localDeletions?: [number, number, number][][];
}

export type TongxinDb = Dexie & {
	grids: EntityTable<GridRow, 'id'>;
	sessions: EntityTable<SessionRow, 'id'>;
	account: EntityTable<AccountRow, 'id'>;
	syncState: EntityTable<SyncStateRow, 'docName'>;
};

let instance: TongxinDb | null = null;

/** The database, opened on first use (never on the server). */
export function db(): TongxinDb {
	if (!instance) {
		instance = new Dexie('tongxin', { addons: [yDexie] }) as TongxinDb;
		instance.version(1).stores({
			grids: 'id, communityId, doc: Y.Doc',
			sessions: 'id, communityId, doc: Y.Doc',
			account: 'id',
			syncState: 'docName'
		});
		// version 1 kept the session token in the account row; it now lives in the cookie only
		instance
			.version(2)
			.stores({})
			.upgrade((tx) =>
				tx
					.table('account')
					.toCollection()
					.modify((row: Record<string, unknown>) => {
						delete row.token;
					})
			);
	}
	return instance;
}

/**
 * Deletes the whole device database: every document, its updates, the sync state and the
 * cached login (logout on a shared device). The next db() call starts an empty one.
 */
export async function deleteDeviceDatabase(): Promise<void> {
	const current = instance;
	instance = null;
	if (current) await current.delete();
	else await Dexie.delete('tongxin');
}
