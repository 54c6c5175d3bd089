/**
 * The asynchronous Store contract (issue 10, "a city on many servers"): the same methods and
 * types as the synchronous `Store` (store.ts), each returning a Promise, so that one server
 * instance can keep its data in PostgreSQL (server/store/pg-store.ts) shared with other
 * instances, while SQLite stays the default (server/store/sqlite-async-store.ts).
 *
 * Transactions are explicit: `transaction(fn)` hands `fn` a `tx`, the same queries bound to
 * one connection, and everything inside the transaction goes through `tx`. PostgreSQL needs a
 * dedicated client per transaction, so there is no implicit joining through global state:
 * calling the store itself from inside `fn` runs outside the transaction (PostgreSQL) or waits
 * for it to end (SQLite, one connection), which deadlocks. A `tx` refuses use once its
 * transaction has ended.
 *
 * The update log keeps its guarantee: `appendUpdate` resolves once the update is durable, and
 * two instances appending to one document concurrently get distinct, gap-free sequences. On
 * PostgreSQL an append inside a transaction holds that document's sequence until the commit
 * (every instance's appends to it wait): keep such transactions short, and append to several
 * documents in one transaction in a fixed order (by name), or two can deadlock.
 */
import type { Level, Membership } from '../domain/roles.ts';
import type {
	DocSnapshot,
	DocUpdate,
	PlaceRecord,
	RecordDetails,
	RecordPlace,
	SessionRecord,
	User,
	UserAccount,
	UserWithPassword
} from './store.ts';

export type {
	DocSnapshot,
	DocUpdate,
	PlaceRecord,
	RecordDetails,
	RecordPlace,
	SessionRecord,
	User,
	UserAccount,
	UserWithPassword
} from './store.ts';

/** One document's log as migration and verification see it. */
export interface DocSummary {
	doc: string;
	/** Rows in the update log (equals `lastSeq` while the log has no gaps). */
	updates: number;
	lastSeq: number;
	/** Sequence of the latest snapshot, null when there is none. */
	snapshotSeq: number | null;
}

/** Rows per kind of thing kept, to compare two stores after a copy. */
export interface StoreCounts {
	docs: number;
	updates: number;
	snapshots: number;
	users: number;
	memberships: number;
	sessions: number;
	places: number;
	records: number;
}

/** Every query of the store; what a transaction's `tx` offers. */
export interface AsyncStoreQueries {
	// ---- documents: append-only update log + snapshots ----
	/**
	 * Appends one update and resolves with its sequence number (1, 2, … per document) once it
	 * is durable. Safe under concurrent appends to one document from several instances.
	 */
	appendUpdate(doc: string, userId: string, update: Uint8Array, receivedAt?: number): Promise<number>;
	/** Updates of `doc` with a sequence greater than `afterSeq`, oldest first. */
	updatesAfter(doc: string, afterSeq: number): Promise<DocUpdate[]>;
	latestSnapshot(doc: string): Promise<DocSnapshot | null>;
	/** Writes the merged state of `doc` up to `seq` and drops older snapshots, atomically. */
	writeSnapshot(doc: string, seq: number, state: Uint8Array): Promise<void>;
	/** The highest sequence in the log of `doc`, 0 when it has none. */
	lastSeq(doc: string): Promise<number>;
	/** Every document with a log or a snapshot, by name. */
	listDocs(): Promise<DocSummary[]>;
	counts(): Promise<StoreCounts>;

	// ---- accounts ----
	createUser(user: UserWithPassword): Promise<void>;
	userByUsername(username: string): Promise<UserWithPassword | null>;
	userById(id: string): Promise<User | null>;
	addMembership(userId: string, membership: Membership): Promise<void>;
	/** The user's memberships; a grid-level one carries its grid's `communityId` from the places table. */
	memberships(userId: string): Promise<Membership[]>;
	/** Removes one membership; resolves with whether it existed. */
	removeMembership(userId: string, membership: Membership): Promise<boolean>;
	/** Every user with the disabled flag and memberships (as `memberships` gives them), sorted by username. */
	listUsers(): Promise<UserAccount[]>;
	userDisabled(id: string): Promise<boolean>;
	setUserDisabled(id: string, disabled: boolean, at?: number): Promise<void>;
	setPasswordHash(id: string, passwordHash: string): Promise<void>;
	setDisplayName(id: string, displayName: string): Promise<void>;

	createSession(session: SessionRecord): Promise<void>;
	session(id: string): Promise<SessionRecord | null>;
	/** The live and expired sessions of a user, newest first. */
	sessionsOfUser(userId: string): Promise<SessionRecord[]>;
	updateSessionExpiry(id: string, expiresAt: number): Promise<void>;
	deleteSession(id: string): Promise<void>;
	/** Deletes every session of a user; resolves with their ids. */
	deleteSessionsOfUser(userId: string): Promise<string[]>;
	deleteExpiredSessions(now: number): Promise<number>;

	// ---- failed logins (rate limiting) ----
	recordLoginFailure(key: string, at: number): Promise<void>;
	/** Failures under `key` at or after `since`: how many, and the oldest one's time. */
	loginFailuresSince(key: string, since: number): Promise<{ count: number; oldest: number | null; newest: number | null }>;
	/** Forgets one failure of `key` recorded at `at` (an attempt that turned out right). */
	forgetLoginFailure(key: string, at: number): Promise<void>;
	clearLoginFailures(key: string): Promise<void>;
	/** Forgets failures older than `before`; resolves with how many. */
	pruneLoginFailures(before: number): Promise<number>;

	// ---- jurisdiction tree ----
	upsertPlace(place: PlaceRecord): Promise<void>;
	place(id: string): Promise<PlaceRecord | null>;
	places(level?: Level): Promise<PlaceRecord[]>;
	renamePlace(id: string, name: string): Promise<void>;

	// ---- records (sessions, disputes) and their community ----
	upsertRecord(record: RecordPlace): Promise<void>;
	record(kind: RecordPlace['kind'], id: string): Promise<RecordPlace | null>;
	/** Creates a record with its title and author (not frozen). */
	createRecord(record: Omit<RecordDetails, 'frozenHash' | 'frozenAt'>): Promise<void>;
	recordDetails(kind: RecordPlace['kind'], id: string): Promise<RecordDetails | null>;
	/** The records of a community, newest first. */
	recordsOfCommunity(kind: RecordPlace['kind'], communityId: string): Promise<RecordDetails[]>;
	/** Marks a record's document frozen with the hash of its final state; false if it already was. */
	freezeRecord(kind: RecordPlace['kind'], id: string, hash: string, at?: number): Promise<boolean>;
}

export interface AsyncStore extends AsyncStoreQueries {
	/**
	 * Runs `fn` in one transaction: committed when its promise resolves, rolled back (and the
	 * error rethrown) when it rejects. Use only `tx` inside `fn` (see the top of this file).
	 */
	transaction<T>(fn: (tx: AsyncStoreQueries) => Promise<T>): Promise<T>;
	/**
	 * The group commit that devices' acknowledgements wait for (PersistenceExtension): appends
	 * `updates` in one transaction and resolves with their sequence numbers, in the order given,
	 * once they are durable. All or nothing: a rejection appended none of them.
	 */
	appendUpdatesDurably(updates: readonly { doc: string; userId: string; update: Uint8Array }[]): Promise<number[]>;
	/** Whether this process created the store empty (demo seeding runs only then, on one instance). */
	readonly isNew: boolean;
	/** Which implementation this is, for the start-up log line. */
	readonly kind: 'sqlite' | 'pg';
	close(): Promise<void>;
}
