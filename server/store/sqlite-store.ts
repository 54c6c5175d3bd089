/**
 * The Store on node:sqlite (design.md §5): one file, WAL journal, synchronous statements.
 *
 * `appendUpdate` is one INSERT in autocommit mode. With `synchronous=FULL` (the default) the
 * WAL is fsynced before it returns, so an acknowledged update survives a power cut or a kernel
 * crash, not only a killed process: devices wipe their copies at logout on the server's word.
 * That fsync blocks the event loop (node:sqlite is synchronous), once per commit. Devices'
 * updates therefore take `appendUpdatesDurably`, the group commit: one transaction for a
 * batch, committed without SQLite's own fsync, then the WAL file fsynced through libuv's thread
 * pool, off the event loop, before the promise resolves (and the acks go out). That is what
 * FULL does in WAL mode (sync the WAL after each commit), done asynchronously; checkpoints still
 * sync as under NORMAL. `synchronous: 'NORMAL'` (SQLITE_SYNCHRONOUS=NORMAL) skips the fsyncs,
 * for storage that survives power loss by itself (battery-backed cache).
 *
 * The busy timeout is short on purpose: node:sqlite is synchronous, so while another process
 * holds the write lock (a backup, the admin CLI) every waiting statement blocks the whole event
 * loop, every socket and HTTP request with it. A write that meets the lock fails fast with
 * SQLITE_BUSY (`isStorageBusy`); the update log keeps the update aside and retries without
 * blocking (PersistenceExtension), an HTTP route answers 503 `storageBusy`.
 */
import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Level, Membership } from '../../src/lib/domain/roles.ts';
import type {
	DocSnapshot,
	DocUpdate,
	PlaceRecord,
	RecordDetails,
	RecordPlace,
	SessionRecord,
	Store,
	User,
	UserAccount,
	UserWithPassword
} from '../../src/lib/server/store.ts';
import { migrate } from './sqlite-schema.ts';
import { RECORD_COLUMNS, type Row, toMembership, toPlace, toRecord, toSession, toUser } from './rows.ts';

export interface SqliteStoreOptions {
	synchronous?: 'NORMAL' | 'FULL';
	/** How long a statement waits for another connection's lock before failing (ms). */
	busyTimeoutMs?: number;
}

/** Long enough for a checkpoint or another connection's short write, short enough not to freeze the server. */
export const DEFAULT_BUSY_TIMEOUT_MS = 50;



export class SqliteStore implements Store {
	readonly isNew: boolean;
	private readonly db: DatabaseSync;
	private readonly stmts = new Map<string, StatementSync>();
	private depth = 0;
	private readonly file: string;
	private readonly synchronous: 'NORMAL' | 'FULL';
	private wal: Promise<FileHandle> | null = null;
	/** WAL fsyncs done by `appendUpdatesDurably` (tests read it). */
	walSyncs = 0;

	constructor(file: string, options: SqliteStoreOptions = {}) {
		this.file = file;
		this.synchronous = options.synchronous ?? 'FULL';
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.db = new DatabaseSync(file);
		// Opening (WAL switch, migrations) may wait for a lock as long as it takes: nothing else runs yet.
		this.db.exec(`PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${this.synchronous};
			PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = 4194304;`);
		this.isNew = migrate(this.db);
		this.db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
	}

	private q(sql: string): StatementSync {
		let s = this.stmts.get(sql);
		if (!s) {
			s = this.db.prepare(sql);
			this.stmts.set(sql, s);
		}
		return s;
	}

	transaction<T>(fn: () => T): T {
		if (this.depth > 0) return fn();
		this.db.exec('BEGIN IMMEDIATE');
		this.depth++;
		try {
			const result = fn();
			this.db.exec('COMMIT');
			return result;
		} catch (e) {
			this.db.exec('ROLLBACK');
			throw e;
		} finally {
			this.depth--;
		}
	}

	// ---- documents ----

	appendUpdate(doc: string, userId: string, update: Uint8Array, receivedAt: number = Date.now()): number {
		const row = this.q(
			`INSERT INTO doc_updates (doc, seq, user_id, received_at, update_bytes)
			 VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_updates WHERE doc = ?), ?, ?, ?)
			 RETURNING seq`
		).get(doc, doc, userId, receivedAt, update) as { seq: number };
		return row.seq;
	}

	async appendUpdatesDurably(updates: readonly { doc: string; userId: string; update: Uint8Array }[]): Promise<number[]> {
		if (this.synchronous !== 'FULL' || this.file === ':memory:') return this.transaction(() => updates.map((u) => this.appendUpdate(u.doc, u.userId, u.update)));
		this.db.exec('PRAGMA synchronous = NORMAL');
		let seqs: number[];
		try {
			seqs = this.transaction(() => updates.map((u) => this.appendUpdate(u.doc, u.userId, u.update)));
		} finally {
			this.db.exec('PRAGMA synchronous = FULL');
		}
		// Our connection keeps the WAL file (same inode) for as long as it is open.
		this.wal ??= open(`${this.file}-wal`, 'r+');
		await (await this.wal).sync();
		this.walSyncs++;
		return seqs;
	}

	updatesAfter(doc: string, afterSeq: number): DocUpdate[] {
		const rows = this.q(
			'SELECT seq, user_id, received_at, update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'
		).all(doc, afterSeq) as Row[];
		return rows.map((r) => ({
			seq: r.seq as number,
			userId: r.user_id as string,
			receivedAt: r.received_at as number,
			update: r.update_bytes as Uint8Array
		}));
	}

	latestSnapshot(doc: string): DocSnapshot | null {
		const r = this.q('SELECT seq, state FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(doc) as
			| Row
			| undefined;
		return r ? { seq: r.seq as number, state: r.state as Uint8Array } : null;
	}

	writeSnapshot(doc: string, seq: number, state: Uint8Array): void {
		this.transaction(() => {
			this.q('INSERT OR REPLACE INTO doc_snapshots (doc, seq, state, created_at) VALUES (?, ?, ?, ?)').run(
				doc,
				seq,
				state,
				Date.now()
			);
			this.q('DELETE FROM doc_snapshots WHERE doc = ? AND seq < ?').run(doc, seq);
		});
	}

	lastSeq(doc: string): number {
		const r = this.q('SELECT COALESCE(MAX(seq), 0) AS seq FROM doc_updates WHERE doc = ?').get(doc) as { seq: number };
		return r.seq;
	}

	// ---- accounts ----

	createUser(user: UserWithPassword): void {
		this.q('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
			user.id,
			user.username,
			user.displayName,
			user.passwordHash,
			Date.now()
		);
	}

	userByUsername(username: string): UserWithPassword | null {
		const r = this.q('SELECT id, username, display_name, password_hash FROM users WHERE username = ?').get(username) as
			| Row
			| undefined;
		return r ? { ...toUser(r), passwordHash: r.password_hash as string } : null;
	}

	userById(id: string): User | null {
		const r = this.q('SELECT id, username, display_name FROM users WHERE id = ?').get(id) as Row | undefined;
		return r ? toUser(r) : null;
	}

	addMembership(userId: string, m: Membership): void {
		this.q('INSERT OR IGNORE INTO memberships (user_id, role, level, place_id) VALUES (?, ?, ?, ?)').run(
			userId,
			m.role,
			m.level,
			m.placeId
		);
	}

	memberships(userId: string): Membership[] {
		const rows = this.q(
			`SELECT m.role, m.level, m.place_id, ${GRID_COMMUNITY} AS community_id FROM memberships m ${GRID_PARENT}
			 WHERE m.user_id = ? ORDER BY m.level, m.place_id, m.role`
		).all(userId) as Row[];
		return rows.map(toMembership);
	}

	removeMembership(userId: string, m: Membership): boolean {
		const result = this.q('DELETE FROM memberships WHERE user_id = ? AND role = ? AND level = ? AND place_id = ?').run(
			userId,
			m.role,
			m.level,
			m.placeId
		);
		return Number(result.changes) > 0;
	}

	listUsers(): UserAccount[] {
		const users = this.q('SELECT id, username, display_name, disabled_at FROM users ORDER BY username').all() as Row[];
		const byUser = new Map<string, Membership[]>();
		const rows = this.q(
			`SELECT m.user_id, m.role, m.level, m.place_id, ${GRID_COMMUNITY} AS community_id FROM memberships m ${GRID_PARENT}
			 ORDER BY m.level, m.place_id, m.role`
		).all() as Row[];
		for (const r of rows) {
			const list = byUser.get(r.user_id as string) ?? [];
			list.push(toMembership(r));
			byUser.set(r.user_id as string, list);
		}
		return users.map((r) => ({ ...toUser(r), disabled: r.disabled_at !== null, memberships: byUser.get(r.id as string) ?? [] }));
	}

	userDisabled(id: string): boolean {
		const r = this.q('SELECT disabled_at FROM users WHERE id = ?').get(id) as Row | undefined;
		return r !== undefined && r.disabled_at !== null;
	}

	setUserDisabled(id: string, disabled: boolean, at: number = Date.now()): void {
		this.q('UPDATE users SET disabled_at = ? WHERE id = ?').run(disabled ? at : null, id);
	}

	setPasswordHash(id: string, passwordHash: string): void {
		this.q('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
	}

	setDisplayName(id: string, displayName: string): void {
		this.q('UPDATE users SET display_name = ? WHERE id = ?').run(displayName, id);
	}

	createSession(s: SessionRecord): void {
		this.q('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)').run(
			s.id,
			s.userId,
			s.expiresAt,
			s.createdAt ?? Date.now()
		);
	}

	session(id: string): SessionRecord | null {
		const r = this.q('SELECT id, user_id, expires_at, created_at FROM sessions WHERE id = ?').get(id) as Row | undefined;
		return r ? toSession(r) : null;
	}

	sessionsOfUser(userId: string): SessionRecord[] {
		const rows = this.q(
			'SELECT id, user_id, expires_at, created_at FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id'
		).all(userId) as Row[];
		return rows.map(toSession);
	}

	deleteSessionsOfUser(userId: string): string[] {
		const rows = this.q('DELETE FROM sessions WHERE user_id = ? RETURNING id').all(userId) as Row[];
		return rows.map((r) => r.id as string);
	}

	updateSessionExpiry(id: string, expiresAt: number): void {
		this.q('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt, id);
	}

	deleteSession(id: string): void {
		this.q('DELETE FROM sessions WHERE id = ?').run(id);
	}

	deleteExpiredSessions(now: number): number {
		return Number(this.q('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes);
	}

	// ---- failed logins ----

	recordLoginFailure(key: string, at: number): void {
		this.q('INSERT INTO login_failures (key, at) VALUES (?, ?)').run(key, at);
	}

	loginFailuresSince(key: string, since: number): { count: number; oldest: number | null; newest: number | null } {
		const r = this.q('SELECT COUNT(*) AS n, MIN(at) AS oldest, MAX(at) AS newest FROM login_failures WHERE key = ? AND at >= ?').get(
			key,
			since
		) as Row;
		return { count: Number(r.n), oldest: (r.oldest as number | null) ?? null, newest: (r.newest as number | null) ?? null };
	}

	forgetLoginFailure(key: string, at: number): void {
		this.q('DELETE FROM login_failures WHERE rowid = (SELECT rowid FROM login_failures WHERE key = ? AND at = ? LIMIT 1)').run(key, at);
	}

	clearLoginFailures(key: string): void {
		this.q('DELETE FROM login_failures WHERE key = ?').run(key);
	}

	pruneLoginFailures(before: number): number {
		return Number(this.q('DELETE FROM login_failures WHERE at < ?').run(before).changes);
	}

	// ---- jurisdiction tree ----

	upsertPlace(p: PlaceRecord): void {
		this.q(
			`INSERT INTO places (id, level, parent_id, name) VALUES (?, ?, ?, ?)
			 ON CONFLICT (id) DO UPDATE SET level = excluded.level, parent_id = excluded.parent_id, name = excluded.name`
		).run(p.id, p.level, p.parentId, p.name);
	}

	place(id: string): PlaceRecord | null {
		const r = this.q('SELECT id, level, parent_id, name FROM places WHERE id = ?').get(id) as Row | undefined;
		return r ? toPlace(r) : null;
	}

	places(level?: Level): PlaceRecord[] {
		const rows = (
			level
				? this.q('SELECT id, level, parent_id, name FROM places WHERE level = ? ORDER BY id').all(level)
				: this.q('SELECT id, level, parent_id, name FROM places ORDER BY id').all()
		) as Row[];
		return rows.map(toPlace);
	}

	renamePlace(id: string, name: string): void {
		this.q('UPDATE places SET name = ? WHERE id = ?').run(name, id);
	}

	// ---- records ----

	upsertRecord(r: RecordPlace): void {
		this.q(
			`INSERT INTO records (kind, id, community_id) VALUES (?, ?, ?)
			 ON CONFLICT (kind, id) DO UPDATE SET community_id = excluded.community_id`
		).run(r.kind, r.id, r.communityId);
	}

	record(kind: RecordPlace['kind'], id: string): RecordPlace | null {
		const r = this.q('SELECT kind, id, community_id FROM records WHERE kind = ? AND id = ?').get(kind, id) as
			| Row
			| undefined;
		return r ? { kind: r.kind as RecordPlace['kind'], id: r.id as string, communityId: r.community_id as string } : null;
	}

	createRecord(r: Omit<RecordDetails, 'frozenHash' | 'frozenAt'>): void {
		this.q('INSERT INTO records (kind, id, community_id, title, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
			r.kind,
			r.id,
			r.communityId,
			r.title,
			r.createdBy,
			r.createdAt
		);
	}

	recordDetails(kind: RecordPlace['kind'], id: string): RecordDetails | null {
		const r = this.q(`SELECT ${RECORD_COLUMNS} FROM records WHERE kind = ? AND id = ?`).get(kind, id) as Row | undefined;
		return r ? toRecord(r) : null;
	}

	recordsOfCommunity(kind: RecordPlace['kind'], communityId: string): RecordDetails[] {
		const rows = this.q(
			`SELECT ${RECORD_COLUMNS} FROM records WHERE kind = ? AND community_id = ? ORDER BY created_at DESC, id DESC`
		).all(kind, communityId) as Row[];
		return rows.map(toRecord);
	}

	freezeRecord(kind: RecordPlace['kind'], id: string, hash: string, at: number = Date.now()): boolean {
		const result = this.q(
			'UPDATE records SET frozen_hash = ?, frozen_at = ? WHERE kind = ? AND id = ? AND frozen_hash IS NULL'
		).run(hash, at, kind, id);
		return Number(result.changes) > 0;
	}

	close(): void {
		if (!this.db.isOpen) return;
		this.stmts.clear();
		this.db.close();
		void this.wal?.then((h) => h.close()).catch(() => undefined);
		this.wal = null;
	}
}

/**
 * A grid membership's community, from the places table (the grid's parent, when that is a
 * community): the domain's `covers` needs it to let grid members read their community's
 * community-level documents (src/lib/domain/roles.ts).
 */
const GRID_PARENT = "LEFT JOIN places g ON m.level = 'grid' AND g.id = m.place_id AND g.level = 'grid' LEFT JOIN places c ON c.id = g.parent_id AND c.level = 'community'";
const GRID_COMMUNITY = 'c.id';

