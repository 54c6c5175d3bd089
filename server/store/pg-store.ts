/**
 * The Store on PostgreSQL (issue 10): the asynchronous contract (src/lib/server/async-store.ts)
 * with SQLite's semantics (sqlite-store.ts), for several server instances sharing one
 * database. A pool of connections; each transaction takes one client of its own.
 *
 * `appendUpdate` is one statement in autocommit mode, and PostgreSQL's default
 * `synchronous_commit = on` flushes the WAL before the statement returns: when the promise
 * resolves the update survives a crash of either the server or the database. The statement
 * bumps the document's row in `doc_heads` and inserts the update with that sequence; the row
 * lock makes concurrent appenders to one document (on any instance) wait their turn, so
 * sequences stay distinct and gap-free.
 */
import pg, { type Pool, type PoolClient, type Queryable, type TypeOverrides } from 'pg';
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
import { log } from '../log.ts';
import { COUNTS, LIST_DOCS } from './inventory-sql.ts';
import { migratePg } from './pg-schema.ts';
import { RECORD_COLUMNS, type Row, toMembership, toPlace, toRecord, toSession, toUser } from './rows.ts';

export interface PgStoreOptions {
	/** Most connections this instance opens (default 10); every instance has its own pool. */
	poolSize?: number;
	/** How long to wait for a connection before failing, in ms (default 10 s). */
	connectionTimeoutMillis?: number;
	/** Shown in pg_stat_activity. */
	applicationName?: string;
}


const INT8 = 20;

/**
 * BIGINT columns (sequences, ms timestamps, counts) as numbers, as node:sqlite gives them:
 * every one is far below 2^53. Per pool, not pg's global parsers, so nothing else changes.
 */
function typeParsers(): TypeOverrides {
	const types = new pg.TypeOverrides();
	types.setTypeParser(INT8, (v) => Number(v));
	return types;
}

/** The queries of the store on one connection source: the pool, or a transaction's client. */
class PgQueries implements AsyncStoreQueries {
	protected readonly db: Queryable;

	constructor(db: Queryable) {
		this.db = db;
	}

	private async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
		return (await this.db.query(sql, values)).rows;
	}

	private async row(sql: string, values: unknown[] = []): Promise<Row | undefined> {
		return (await this.db.query(sql, values)).rows[0];
	}

	private async changes(sql: string, values: unknown[] = []): Promise<number> {
		return (await this.db.query(sql, values)).rowCount ?? 0;
	}

	// ---- documents ----

	async appendUpdate(doc: string, userId: string, update: Uint8Array, receivedAt: number = Date.now()): Promise<number> {
		const r = await this.row(
			`WITH head AS (
				INSERT INTO doc_heads (doc, last_seq) VALUES ($1, 1)
				ON CONFLICT (doc) DO UPDATE SET last_seq = doc_heads.last_seq + 1
				RETURNING last_seq
			)
			INSERT INTO doc_updates (doc, seq, user_id, received_at, update_bytes)
			SELECT $1, last_seq, $2, $3, $4 FROM head
			RETURNING seq`,
			[doc, userId, receivedAt, update]
		);
		return r!.seq as number;
	}

	async updatesAfter(doc: string, afterSeq: number): Promise<DocUpdate[]> {
		const rows = await this.rows(
			'SELECT seq, user_id, received_at, update_bytes FROM doc_updates WHERE doc = $1 AND seq > $2 ORDER BY seq',
			[doc, afterSeq]
		);
		return rows.map((r) => ({
			seq: r.seq as number,
			userId: r.user_id as string,
			receivedAt: r.received_at as number,
			update: bytes(r.update_bytes)
		}));
	}

	async latestSnapshot(doc: string): Promise<DocSnapshot | null> {
		const r = await this.row('SELECT seq, state FROM doc_snapshots WHERE doc = $1 ORDER BY seq DESC LIMIT 1', [doc]);
		return r ? { seq: r.seq as number, state: bytes(r.state) } : null;
	}

	async writeSnapshot(doc: string, seq: number, state: Uint8Array): Promise<void> {
		// One statement, so atomic without a transaction: the DELETE does not see the row the
		// INSERT adds (same snapshot), and spares it anyway (seq < $2).
		await this.db.query(
			`WITH written AS (
				INSERT INTO doc_snapshots (doc, seq, state, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (doc, seq) DO UPDATE SET state = EXCLUDED.state, created_at = EXCLUDED.created_at
			)
			DELETE FROM doc_snapshots WHERE doc = $1 AND seq < $2`,
			[doc, seq, state, Date.now()]
		);
	}

	async lastSeq(doc: string): Promise<number> {
		const r = await this.row('SELECT COALESCE(MAX(seq), 0) AS seq FROM doc_updates WHERE doc = $1', [doc]);
		return r!.seq as number;
	}

	async listDocs(): Promise<DocSummary[]> {
		const rows = await this.rows(LIST_DOCS);
		return rows.map((r) => ({
			doc: r.doc as string,
			updates: r.updates as number,
			lastSeq: r.last_seq as number,
			snapshotSeq: (r.snapshot_seq as number | null) ?? null
		}));
	}

	async counts(): Promise<StoreCounts> {
		return (await this.row(COUNTS)) as unknown as StoreCounts;
	}

	// ---- accounts ----

	async createUser(user: UserWithPassword): Promise<void> {
		await this.db.query(
			'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
			[user.id, user.username, user.displayName, user.passwordHash, Date.now()]
		);
	}

	async userByUsername(username: string): Promise<UserWithPassword | null> {
		const r = await this.row('SELECT id, username, display_name, password_hash FROM users WHERE username = $1', [username]);
		return r ? { ...toUser(r), passwordHash: r.password_hash as string } : null;
	}

	async userById(id: string): Promise<User | null> {
		const r = await this.row('SELECT id, username, display_name FROM users WHERE id = $1', [id]);
		return r ? toUser(r) : null;
	}

	async addMembership(userId: string, m: Membership): Promise<void> {
		await this.db.query(
			'INSERT INTO memberships (user_id, role, level, place_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
			[userId, m.role, m.level, m.placeId]
		);
	}

	async memberships(userId: string): Promise<Membership[]> {
		const rows = await this.rows(
			`SELECT m.role, m.level, m.place_id, ${GRID_COMMUNITY} AS community_id FROM memberships m ${GRID_PARENT}
			 WHERE m.user_id = $1 ORDER BY m.level, m.place_id, m.role`,
			[userId]
		);
		return rows.map(toMembership);
	}

	async removeMembership(userId: string, m: Membership): Promise<boolean> {
		const n = await this.changes(
			'DELETE FROM memberships WHERE user_id = $1 AND role = $2 AND level = $3 AND place_id = $4',
			[userId, m.role, m.level, m.placeId]
		);
		return n > 0;
	}

	async listUsers(): Promise<UserAccount[]> {
		const users = await this.rows('SELECT id, username, display_name, disabled_at FROM users ORDER BY username');
		const rows = await this.rows(
			`SELECT m.user_id, m.role, m.level, m.place_id, ${GRID_COMMUNITY} AS community_id FROM memberships m ${GRID_PARENT}
			 ORDER BY m.level, m.place_id, m.role`
		);
		const byUser = new Map<string, Membership[]>();
		for (const r of rows) {
			const list = byUser.get(r.user_id as string) ?? [];
			list.push(toMembership(r));
			byUser.set(r.user_id as string, list);
		}
		return users.map((r) => ({ ...toUser(r), disabled: r.disabled_at !== null, memberships: byUser.get(r.id as string) ?? [] }));
	}

	async userDisabled(id: string): Promise<boolean> {
		const r = await this.row('SELECT disabled_at FROM users WHERE id = $1', [id]);
		return r !== undefined && r.disabled_at !== null;
	}

	async setUserDisabled(id: string, disabled: boolean, at: number = Date.now()): Promise<void> {
		await this.db.query('UPDATE users SET disabled_at = $1 WHERE id = $2', [disabled ? at : null, id]);
	}

	async setPasswordHash(id: string, passwordHash: string): Promise<void> {
		await this.db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
	}

	async setDisplayName(id: string, displayName: string): Promise<void> {
		await this.db.query('UPDATE users SET display_name = $1 WHERE id = $2', [displayName, id]);
	}

	async createSession(s: SessionRecord): Promise<void> {
		await this.db.query('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
			s.id,
			s.userId,
			s.expiresAt,
			s.createdAt ?? Date.now()
		]);
	}

	async session(id: string): Promise<SessionRecord | null> {
		const r = await this.row('SELECT id, user_id, expires_at, created_at FROM sessions WHERE id = $1', [id]);
		return r ? toSession(r) : null;
	}

	async sessionsOfUser(userId: string): Promise<SessionRecord[]> {
		const rows = await this.rows(
			'SELECT id, user_id, expires_at, created_at FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, id',
			[userId]
		);
		return rows.map(toSession);
	}

	async updateSessionExpiry(id: string, expiresAt: number): Promise<void> {
		await this.db.query('UPDATE sessions SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
	}

	async deleteSession(id: string): Promise<void> {
		await this.db.query('DELETE FROM sessions WHERE id = $1', [id]);
	}

	async deleteSessionsOfUser(userId: string): Promise<string[]> {
		const rows = await this.rows('DELETE FROM sessions WHERE user_id = $1 RETURNING id', [userId]);
		return rows.map((r) => r.id as string);
	}

	async deleteExpiredSessions(now: number): Promise<number> {
		return this.changes('DELETE FROM sessions WHERE expires_at <= $1', [now]);
	}

	// ---- failed logins ----

	async recordLoginFailure(key: string, at: number): Promise<void> {
		await this.db.query('INSERT INTO login_failures (key, at) VALUES ($1, $2)', [key, at]);
	}

	async loginFailuresSince(key: string, since: number): Promise<{ count: number; oldest: number | null; newest: number | null }> {
		const r = await this.row('SELECT COUNT(*) AS n, MIN(at) AS oldest, MAX(at) AS newest FROM login_failures WHERE key = $1 AND at >= $2', [
			key,
			since
		]);
		return { count: r!.n as number, oldest: (r!.oldest as number | null) ?? null, newest: (r!.newest as number | null) ?? null };
	}

	async forgetLoginFailure(key: string, at: number): Promise<void> {
		await this.db.query('DELETE FROM login_failures WHERE ctid = (SELECT ctid FROM login_failures WHERE key = $1 AND at = $2 LIMIT 1)', [key, at]);
	}

	async clearLoginFailures(key: string): Promise<void> {
		await this.db.query('DELETE FROM login_failures WHERE key = $1', [key]);
	}

	async pruneLoginFailures(before: number): Promise<number> {
		return this.changes('DELETE FROM login_failures WHERE at < $1', [before]);
	}

	// ---- jurisdiction tree ----

	async upsertPlace(p: PlaceRecord): Promise<void> {
		await this.db.query(
			`INSERT INTO places (id, level, parent_id, name) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (id) DO UPDATE SET level = EXCLUDED.level, parent_id = EXCLUDED.parent_id, name = EXCLUDED.name`,
			[p.id, p.level, p.parentId, p.name]
		);
	}

	async place(id: string): Promise<PlaceRecord | null> {
		const r = await this.row('SELECT id, level, parent_id, name FROM places WHERE id = $1', [id]);
		return r ? toPlace(r) : null;
	}

	async places(level?: Level): Promise<PlaceRecord[]> {
		const rows = level
			? await this.rows('SELECT id, level, parent_id, name FROM places WHERE level = $1 ORDER BY id', [level])
			: await this.rows('SELECT id, level, parent_id, name FROM places ORDER BY id');
		return rows.map(toPlace);
	}

	async renamePlace(id: string, name: string): Promise<void> {
		await this.db.query('UPDATE places SET name = $1 WHERE id = $2', [name, id]);
	}

	// ---- records ----

	async upsertRecord(r: RecordPlace): Promise<void> {
		await this.db.query(
			`INSERT INTO records (kind, id, community_id) VALUES ($1, $2, $3)
			 ON CONFLICT (kind, id) DO UPDATE SET community_id = EXCLUDED.community_id`,
			[r.kind, r.id, r.communityId]
		);
	}

	async record(kind: RecordPlace['kind'], id: string): Promise<RecordPlace | null> {
		const r = await this.row('SELECT kind, id, community_id FROM records WHERE kind = $1 AND id = $2', [kind, id]);
		return r ? { kind: r.kind as RecordPlace['kind'], id: r.id as string, communityId: r.community_id as string } : null;
	}

	async createRecord(r: Omit<RecordDetails, 'frozenHash' | 'frozenAt'>): Promise<void> {
		await this.db.query(
			'INSERT INTO records (kind, id, community_id, title, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
			[r.kind, r.id, r.communityId, r.title, r.createdBy, r.createdAt]
		);
	}

	async recordDetails(kind: RecordPlace['kind'], id: string): Promise<RecordDetails | null> {
		const r = await this.row(`SELECT ${RECORD_COLUMNS} FROM records WHERE kind = $1 AND id = $2`, [kind, id]);
		return r ? toRecord(r) : null;
	}

	async recordsOfCommunity(kind: RecordPlace['kind'], communityId: string): Promise<RecordDetails[]> {
		const rows = await this.rows(
			`SELECT ${RECORD_COLUMNS} FROM records WHERE kind = $1 AND community_id = $2 ORDER BY created_at DESC, id DESC`,
			[kind, communityId]
		);
		return rows.map(toRecord);
	}

	async freezeRecord(kind: RecordPlace['kind'], id: string, hash: string, at: number = Date.now()): Promise<boolean> {
		const n = await this.changes(
			'UPDATE records SET frozen_hash = $1, frozen_at = $2 WHERE kind = $3 AND id = $4 AND frozen_hash IS NULL',
			[hash, at, kind, id]
		);
		return n > 0;
	}
}

export class PgStore extends PgQueries implements AsyncStore {
	readonly kind = 'pg';
	readonly isNew: boolean;
	private readonly pool: Pool;
	private readonly ended: { value: boolean };

	private constructor(pool: Pool, isNew: boolean, ended: { value: boolean }) {
		super(pool);
		this.pool = pool;
		this.isNew = isNew;
		this.ended = ended;
	}

	/** Connects, migrates the schema (once across instances starting together) and resolves with the store. */
	static async open(connectionString: string, options: PgStoreOptions = {}): Promise<PgStore> {
		const pool = new pg.Pool({
			connectionString,
			max: options.poolSize ?? 10,
			connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
			application_name: options.applicationName ?? 'tongxin',
			types: typeParsers()
		});
		// An idle client whose connection drops emits 'error' on the pool; unheard, it would end
		// the process. The pool replaces that client; queries in flight fail on their own. After
		// close, a connection the server ends late (a dropped database) is no news.
		const ended = { value: false };
		pool.on('error', (err) => {
			if (!ended.value) log('error', 'pg.idleClientError', { error: err });
		});
		try {
			const client = await pool.connect();
			const watch = watchClient(client);
			try {
				const before = await migratePg(client);
				return new PgStore(pool, before === 0, ended);
			} finally {
				watch.release();
			}
		} catch (e) {
			await pool.end();
			throw e;
		}
	}

	async transaction<T>(fn: (tx: AsyncStoreQueries) => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		const watch = watchClient(client);
		let open = true;
		const tx = new PgQueries(boundTo(client, () => open));
		try {
			await client.query('BEGIN');
			const result = await fn(tx);
			await client.query('COMMIT');
			return result;
		} catch (e) {
			// Nothing to roll back on a connection that has ended: the server already did.
			if (!watch.broken()) await client.query('ROLLBACK').catch((rollbackError: Error) => watch.fail(rollbackError));
			throw e;
		} finally {
			open = false;
			watch.release();
		}
	}

	/**
	 * The group commit on PostgreSQL: one transaction, one WAL flush at COMMIT for the batch.
	 * Documents are appended in name order (a stable sort keeps each document's updates in
	 * order), so two instances committing batches over the same documents cannot deadlock on
	 * their heads; the sequences come back in the order given.
	 */
	async appendUpdatesDurably(updates: readonly { doc: string; userId: string; update: Uint8Array }[]): Promise<number[]> {
		if (updates.length === 0) return [];
		const order = updates.map((_, i) => i).sort((a, b) => (updates[a].doc < updates[b].doc ? -1 : updates[a].doc > updates[b].doc ? 1 : a - b));
		const receivedAt = Date.now();
		return this.transaction(async (tx) => {
			const seqs: number[] = new Array(updates.length);
			for (const i of order) seqs[i] = await tx.appendUpdate(updates[i].doc, updates[i].userId, updates[i].update, receivedAt);
			return seqs;
		});
	}

	async close(): Promise<void> {
		if (this.ended.value) return;
		this.ended.value = true;
		await this.pool.end();
	}
}

/**
 * A client taken from the pool for a transaction or the migration. The pool listens for its
 * errors only while it is idle; a checked-out client whose connection ends between queries
 * (the transaction awaiting something else) emits 'error', which unheard would end the
 * process. Heard here, it marks the client broken, so it is released to be destroyed.
 */
function watchClient(client: PoolClient): { broken(): boolean; fail(err: Error): void; release(): void } {
	let broken: Error | null = null;
	const onError = (err: Error) => {
		broken ??= err;
		log('warn', 'pg.connectionLost', { error: err });
	};
	client.on('error', onError);
	return {
		broken: () => broken !== null,
		fail: (err) => void (broken ??= err),
		release: () => {
			client.removeListener('error', onError);
			client.release(broken ?? undefined);
		}
	};
}

/** A transaction's client that refuses queries once the transaction has ended (a leaked `tx`). */
function boundTo(client: PoolClient, open: () => boolean): Queryable {
	return {
		query: ((text: string, values?: unknown[]) => {
			if (!open()) return Promise.reject(new Error('this transaction has ended; use the store, not its old tx'));
			return client.query(text, values);
		}) as Queryable['query']
	};
}

/** Grid memberships carry their grid's community: the same join as sqlite-store.ts. */
const GRID_PARENT = "LEFT JOIN places g ON m.level = 'grid' AND g.id = m.place_id AND g.level = 'grid' LEFT JOIN places c ON c.id = g.parent_id AND c.level = 'community'";
const GRID_COMMUNITY = 'c.id';

/** A BYTEA value (a Buffer) as a plain Uint8Array view, as node:sqlite gives BLOBs; no copy. */
function bytes(value: unknown): Uint8Array {
	const b = value as Buffer;
	return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

