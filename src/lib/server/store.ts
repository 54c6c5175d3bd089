/**
 * The synchronous Store: the SQLite implementation's interface (server/store/sqlite-store.ts),
 * synchronous as node:sqlite is, except `appendUpdatesDurably`. The server's callers use the
 * asynchronous contract (async-store.ts), which SqliteAsyncStore wraps around this and PgStore
 * implements; the types of what is kept (design.md §5) live here.
 */
import type { Level, Membership } from '../domain/roles.ts';

export interface User {
	id: string;
	username: string;
	displayName: string;
}

export interface UserWithPassword extends User {
	passwordHash: string;
}

/** A user as an admin sees it: whether the account is disabled, and its memberships. */
export interface UserAccount extends User {
	disabled: boolean;
	memberships: Membership[];
}

export interface SessionRecord {
	/** SHA-256 of the token, hex encoded; the token itself is never stored. */
	id: string;
	userId: string;
	expiresAt: number;
	/** When the session began (ms); 0 for sessions from before schema version 2. */
	createdAt?: number;
}

/** A session or dispute record: its document sits in this community. */
export interface RecordPlace {
	kind: 'session' | 'dispute';
	id: string;
	communityId: string;
}

/** A record as its community's list shows it, with the frozen state of its document. */
export interface RecordDetails extends RecordPlace {
	title: string;
	createdBy: string;
	/** ms since the epoch */
	createdAt: number;
	/** SHA-256 (hex) of the document's final state once frozen, else null. */
	frozenHash: string | null;
	frozenAt: number | null;
}

export interface PlaceRecord {
	id: string;
	level: Level;
	parentId: string | null;
	name: string;
}

export interface DocSnapshot {
	seq: number;
	state: Uint8Array;
}

export interface DocUpdate {
	seq: number;
	userId: string;
	receivedAt: number;
	update: Uint8Array;
}

export interface Store {
	// ---- documents: append-only update log + snapshots ----
	/** Appends one update; returns its sequence number (1, 2, … per document). */
	appendUpdate(doc: string, userId: string, update: Uint8Array, receivedAt?: number): number;
	/** Updates of `doc` with a sequence greater than `afterSeq`, oldest first. */
	updatesAfter(doc: string, afterSeq: number): DocUpdate[];
	latestSnapshot(doc: string): DocSnapshot | null;
	/** Writes the merged state of `doc` up to `seq`, in one transaction. */
	writeSnapshot(doc: string, seq: number, state: Uint8Array): void;
	/** The highest sequence in the log of `doc`, 0 when it has none. */
	lastSeq(doc: string): number;
	/** Runs `fn` in one transaction (nested calls join the outer one). */
	transaction<T>(fn: () => T): T;
	/**
	 * Appends `updates` in one transaction and resolves with their sequence numbers once they
	 * are durable (on disk, surviving power loss): the group commit before the acks it covers.
	 * Optional: without it, callers append one by one in a transaction.
	 */
	appendUpdatesDurably?(updates: readonly { doc: string; userId: string; update: Uint8Array }[]): Promise<number[]>;

	// ---- accounts ----
	createUser(user: UserWithPassword): void;
	userByUsername(username: string): UserWithPassword | null;
	userById(id: string): User | null;
	addMembership(userId: string, membership: Membership): void;
	/** The user's memberships; a grid-level one carries its grid's `communityId` from the places table. */
	memberships(userId: string): Membership[];
	/** Removes one membership; returns whether it existed. */
	removeMembership(userId: string, membership: Membership): boolean;
	/** Every user with the disabled flag and memberships (as `memberships` gives them), sorted by username. */
	listUsers(): UserAccount[];
	userDisabled(id: string): boolean;
	setUserDisabled(id: string, disabled: boolean, at?: number): void;
	setPasswordHash(id: string, passwordHash: string): void;
	setDisplayName(id: string, displayName: string): void;

	createSession(session: SessionRecord): void;
	session(id: string): SessionRecord | null;
	/** The live and expired sessions of a user, newest first. */
	sessionsOfUser(userId: string): SessionRecord[];
	updateSessionExpiry(id: string, expiresAt: number): void;
	deleteSession(id: string): void;
	/** Deletes every session of a user; returns their ids. */
	deleteSessionsOfUser(userId: string): string[];
	deleteExpiredSessions(now: number): number;

	// ---- failed logins (rate limiting) ----
	recordLoginFailure(key: string, at: number): void;
	/** Failures under `key` at or after `since`: how many, and the oldest and newest one's time. */
	loginFailuresSince(key: string, since: number): { count: number; oldest: number | null; newest: number | null };
	/** Forgets one failure under `key` recorded at `at` (an attempt that turned out right). */
	forgetLoginFailure(key: string, at: number): void;
	clearLoginFailures(key: string): void;
	/** Forgets failures older than `before`; returns how many. */
	pruneLoginFailures(before: number): number;

	// ---- jurisdiction tree ----
	upsertPlace(place: PlaceRecord): void;
	place(id: string): PlaceRecord | null;
	places(level?: Level): PlaceRecord[];
	renamePlace(id: string, name: string): void;

	// ---- records (sessions, disputes) and their community ----
	upsertRecord(record: RecordPlace): void;
	record(kind: RecordPlace['kind'], id: string): RecordPlace | null;
	/** Creates a record with its title and author (not frozen). */
	createRecord(record: Omit<RecordDetails, 'frozenHash' | 'frozenAt'>): void;
	recordDetails(kind: RecordPlace['kind'], id: string): RecordDetails | null;
	/** The records of a community, newest first. */
	recordsOfCommunity(kind: RecordPlace['kind'], communityId: string): RecordDetails[];
	/** Marks a record's document frozen with the hash of its final state; false if it already was. */
	freezeRecord(kind: RecordPlace['kind'], id: string, hash: string, at?: number): boolean;

	/** Whether the store was created empty by this process (demo seeding runs only then). */
	readonly isNew: boolean;
	close(): void;
}

/**
 * Whether a store call failed because another connection holds the database's lock (SQLite's
 * SQLITE_BUSY or SQLITE_LOCKED: a backup, the admin CLI): worth retrying shortly, and an HTTP
 * route answers 503 `storageBusy` rather than 500.
 */
export function isStorageBusy(error: unknown): boolean {
	const e = error as { errcode?: unknown; message?: unknown } | null;
	if (typeof e?.errcode === 'number') return (e.errcode & 0xff) === 5 || (e.errcode & 0xff) === 6;
	return typeof e?.message === 'string' && /database (table )?is locked/.test(e.message);
}
