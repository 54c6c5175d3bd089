/**
 * The asynchronous Store contract (src/lib/server/async-store.ts) over the synchronous
 * SqliteStore, so callers can move to the async contract while SQLite stays the default.
 *
 * Outside a transaction a call runs its statement at once, synchronously, and returns a
 * settled promise: an `appendUpdate` is in the WAL when the call returns, before any await.
 * One SQLite connection means one transaction at a time, spanning awaits: while one is open,
 * calls on the store wait for it to end (else they would join it and be rolled back with it),
 * and calls on its `tx` run at once. Code calling `sync` directly is not held back: while an
 * async transaction is open (and awaiting), such a call joins it and could be rolled back with
 * it. The server no longer does (every caller uses this contract); only tests read `sync`.
 *
 * SqliteStore keeps its connection and nesting depth private; the transaction needs both
 * (BEGIN across awaits, and SqliteStore's own nested `transaction` inside it, as in
 * `writeSnapshot`, must join rather than BEGIN again). They are reached by name and checked
 * at construction, so a rename fails loudly here. A public begin/commit on SqliteStore would
 * be cleaner; it is left out only to keep this branch out of sqlite-store.ts.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Level, Membership } from '../../src/lib/domain/roles.ts';
import type {
	AsyncStore,
	AsyncStoreQueries,
	DocSnapshot,
	DocSummary,
	DocUpdate,
	PlaceRecord,
	RecordDetails,
	RecordPlace,
	SessionRecord,
	StoreCounts,
	User,
	UserAccount,
	UserWithPassword
} from '../../src/lib/server/async-store.ts';
import { COUNTS, LIST_DOCS } from './inventory-sql.ts';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';

type Op<T> = (store: SqliteStore, db: DatabaseSync) => T;
type Runner = <T>(op: Op<T>) => Promise<T>;

/** SqliteStore's private connection and transaction depth (see the top of this file). */
interface Internals {
	db: DatabaseSync;
	depth: number;
}

function internalsOf(store: SqliteStore): Internals {
	const inner = store as unknown as Partial<Internals>;
	if (!(inner.db instanceof DatabaseSync) || typeof inner.depth !== 'number') {
		throw new Error('SqliteAsyncStore: SqliteStore no longer has the private `db` and `depth` it relies on');
	}
	return inner as Internals;
}

/** Runs `op` now, as a promise: a thrown error becomes a rejection, as with PostgreSQL. */
function settle<T>(op: () => T): Promise<T> {
	try {
		return Promise.resolve(op());
	} catch (e) {
		return Promise.reject(e);
	}
}

class SqliteQueries implements AsyncStoreQueries {
	protected readonly run: Runner;

	constructor(run: Runner) {
		this.run = run;
	}

	appendUpdate(doc: string, userId: string, update: Uint8Array, receivedAt?: number): Promise<number> {
		return this.run((s) => s.appendUpdate(doc, userId, update, receivedAt));
	}
	updatesAfter(doc: string, afterSeq: number): Promise<DocUpdate[]> {
		return this.run((s) => s.updatesAfter(doc, afterSeq));
	}
	latestSnapshot(doc: string): Promise<DocSnapshot | null> {
		return this.run((s) => s.latestSnapshot(doc));
	}
	writeSnapshot(doc: string, seq: number, state: Uint8Array): Promise<void> {
		return this.run((s) => s.writeSnapshot(doc, seq, state));
	}
	lastSeq(doc: string): Promise<number> {
		return this.run((s) => s.lastSeq(doc));
	}
	listDocs(): Promise<DocSummary[]> {
		return this.run((_, db) =>
			(db.prepare(LIST_DOCS).all() as Record<string, unknown>[]).map((r) => ({
				doc: r.doc as string,
				updates: Number(r.updates),
				lastSeq: Number(r.last_seq),
				snapshotSeq: r.snapshot_seq === null ? null : Number(r.snapshot_seq)
			}))
		);
	}
	counts(): Promise<StoreCounts> {
		return this.run((_, db) => {
			const r = db.prepare(COUNTS).get() as Record<keyof StoreCounts, number | bigint>;
			return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as unknown as StoreCounts;
		});
	}

	createUser(user: UserWithPassword): Promise<void> {
		return this.run((s) => s.createUser(user));
	}
	userByUsername(username: string): Promise<UserWithPassword | null> {
		return this.run((s) => s.userByUsername(username));
	}
	userById(id: string): Promise<User | null> {
		return this.run((s) => s.userById(id));
	}
	addMembership(userId: string, membership: Membership): Promise<void> {
		return this.run((s) => s.addMembership(userId, membership));
	}
	memberships(userId: string): Promise<Membership[]> {
		return this.run((s) => s.memberships(userId));
	}
	removeMembership(userId: string, membership: Membership): Promise<boolean> {
		return this.run((s) => s.removeMembership(userId, membership));
	}
	listUsers(): Promise<UserAccount[]> {
		return this.run((s) => s.listUsers());
	}
	userDisabled(id: string): Promise<boolean> {
		return this.run((s) => s.userDisabled(id));
	}
	setUserDisabled(id: string, disabled: boolean, at?: number): Promise<void> {
		return this.run((s) => s.setUserDisabled(id, disabled, at));
	}
	setPasswordHash(id: string, passwordHash: string): Promise<void> {
		return this.run((s) => s.setPasswordHash(id, passwordHash));
	}
	setDisplayName(id: string, displayName: string): Promise<void> {
		return this.run((s) => s.setDisplayName(id, displayName));
	}

	createSession(session: SessionRecord): Promise<void> {
		return this.run((s) => s.createSession(session));
	}
	session(id: string): Promise<SessionRecord | null> {
		return this.run((s) => s.session(id));
	}
	sessionsOfUser(userId: string): Promise<SessionRecord[]> {
		return this.run((s) => s.sessionsOfUser(userId));
	}
	updateSessionExpiry(id: string, expiresAt: number): Promise<void> {
		return this.run((s) => s.updateSessionExpiry(id, expiresAt));
	}
	deleteSession(id: string): Promise<void> {
		return this.run((s) => s.deleteSession(id));
	}
	deleteSessionsOfUser(userId: string): Promise<string[]> {
		return this.run((s) => s.deleteSessionsOfUser(userId));
	}
	deleteExpiredSessions(now: number): Promise<number> {
		return this.run((s) => s.deleteExpiredSessions(now));
	}

	recordLoginFailure(key: string, at: number): Promise<void> {
		return this.run((s) => s.recordLoginFailure(key, at));
	}
	loginFailuresSince(key: string, since: number): Promise<{ count: number; oldest: number | null; newest: number | null }> {
		return this.run((s) => s.loginFailuresSince(key, since));
	}
	forgetLoginFailure(key: string, at: number): Promise<void> {
		return this.run((s) => s.forgetLoginFailure(key, at));
	}
	clearLoginFailures(key: string): Promise<void> {
		return this.run((s) => s.clearLoginFailures(key));
	}
	pruneLoginFailures(before: number): Promise<number> {
		return this.run((s) => s.pruneLoginFailures(before));
	}

	upsertPlace(place: PlaceRecord): Promise<void> {
		return this.run((s) => s.upsertPlace(place));
	}
	place(id: string): Promise<PlaceRecord | null> {
		return this.run((s) => s.place(id));
	}
	places(level?: Level): Promise<PlaceRecord[]> {
		return this.run((s) => s.places(level));
	}
	renamePlace(id: string, name: string): Promise<void> {
		return this.run((s) => s.renamePlace(id, name));
	}

	upsertRecord(record: RecordPlace): Promise<void> {
		return this.run((s) => s.upsertRecord(record));
	}
	record(kind: RecordPlace['kind'], id: string): Promise<RecordPlace | null> {
		return this.run((s) => s.record(kind, id));
	}
	createRecord(record: Omit<RecordDetails, 'frozenHash' | 'frozenAt'>): Promise<void> {
		return this.run((s) => s.createRecord(record));
	}
	recordDetails(kind: RecordPlace['kind'], id: string): Promise<RecordDetails | null> {
		return this.run((s) => s.recordDetails(kind, id));
	}
	recordsOfCommunity(kind: RecordPlace['kind'], communityId: string): Promise<RecordDetails[]> {
		return this.run((s) => s.recordsOfCommunity(kind, communityId));
	}
	freezeRecord(kind: RecordPlace['kind'], id: string, hash: string, at?: number): Promise<boolean> {
		return this.run((s) => s.freezeRecord(kind, id, hash, at));
	}
}

export class SqliteAsyncStore extends SqliteQueries implements AsyncStore {
	readonly kind = 'sqlite';
	/** The synchronous store underneath, for callers not yet moved to the async contract. */
	readonly sync: SqliteStore;
	private readonly inner: Internals;
	/** `busy` settles when the open transaction ends; null when none is open. */
	private readonly gate: { busy: Promise<void> | null };

	static open(file: string, options?: SqliteStoreOptions): SqliteAsyncStore {
		return new SqliteAsyncStore(new SqliteStore(file, options));
	}

	constructor(store: SqliteStore) {
		const inner = internalsOf(store);
		const gate: { busy: Promise<void> | null } = { busy: null };
		const gated: Runner = <T>(op: Op<T>): Promise<T> =>
			gate.busy ? gate.busy.then(() => gated(op)) : settle(() => op(store, inner.db));
		super(gated);
		this.sync = store;
		this.inner = inner;
		this.gate = gate;
	}

	get isNew(): boolean {
		return this.sync.isNew;
	}

	async transaction<T>(fn: (tx: AsyncStoreQueries) => Promise<T>): Promise<T> {
		while (this.gate.busy) await this.gate.busy;
		let release!: () => void;
		this.gate.busy = new Promise((resolve) => (release = resolve));
		let open = true;
		const tx = new SqliteQueries(<U>(op: Op<U>) =>
			open
				? settle(() => op(this.sync, this.inner.db))
				: Promise.reject(new Error('this transaction has ended; use the store, not its old tx'))
		);
		const { db } = this.inner;
		try {
			db.exec('BEGIN IMMEDIATE');
			this.inner.depth++;
			try {
				const result = await fn(tx);
				db.exec('COMMIT');
				return result;
			} catch (e) {
				if (db.isTransaction) db.exec('ROLLBACK');
				throw e;
			} finally {
				this.inner.depth--;
			}
		} finally {
			open = false;
			this.gate.busy = null;
			release();
		}
	}

	/** SqliteStore's group commit (WAL fsynced off the event loop), after any open transaction. */
	async appendUpdatesDurably(updates: readonly { doc: string; userId: string; update: Uint8Array }[]): Promise<number[]> {
		while (this.gate.busy) await this.gate.busy;
		return this.sync.appendUpdatesDurably(updates);
	}

	async close(): Promise<void> {
		while (this.gate.busy) await this.gate.busy;
		this.sync.close();
	}
}
