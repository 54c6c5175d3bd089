/**
 * The SQLite schema, created on first open. `PRAGMA user_version` records the schema version,
 * so a new database is recognisable (demo seeding runs only on one) and later versions can
 * migrate step by step: each step runs once, in its own transaction, on databases older
 * than it (a new database runs them all).
 */
import type { DatabaseSync } from 'node:sqlite';

export const SCHEMA_VERSION = 3;

const V1 = `
CREATE TABLE doc_updates (
	doc TEXT NOT NULL,
	seq INTEGER NOT NULL,
	user_id TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	update_bytes BLOB NOT NULL,
	PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

CREATE TABLE doc_snapshots (
	doc TEXT NOT NULL,
	seq INTEGER NOT NULL,
	state BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

CREATE TABLE places (
	id TEXT PRIMARY KEY,
	level TEXT NOT NULL CHECK (level IN ('street', 'community', 'grid')),
	parent_id TEXT REFERENCES places (id),
	name TEXT NOT NULL
);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE memberships (
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('street', 'community', 'grid')),
	place_id TEXT NOT NULL REFERENCES places (id),
	PRIMARY KEY (user_id, role, level, place_id)
);
`;

/**
 * Version 2 (access control, issue 3): disabled accounts, when each session began, failed
 * logins for rate limiting, and the community of each session/dispute record (so that its
 * document has a place in the jurisdiction tree). Only additions: existing rows stay valid.
 */
const V2 = `
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE records (
	kind TEXT NOT NULL CHECK (kind IN ('session', 'dispute')),
	id TEXT NOT NULL,
	community_id TEXT NOT NULL REFERENCES places (id),
	PRIMARY KEY (kind, id)
);
`;

/**
 * Version 3 (deliberation sessions, issue 5): what a community's session list shows without
 * opening each document (title, who created it and when), and the frozen state of a record's
 * document: once set, the server refuses edits to it and `frozen_hash` is the SHA-256 of its
 * final state (src/lib/domain/session-doc.ts, `sessionHash`).
 */
const V3 = `
ALTER TABLE records ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN frozen_hash TEXT;
ALTER TABLE records ADD COLUMN frozen_at INTEGER;
CREATE INDEX records_community ON records (kind, community_id);
`;

const STEPS: readonly string[] = [V1, V2, V3];

/** Creates or migrates the schema; returns whether the database was new. */
export function migrate(db: DatabaseSync): boolean {
	const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
	const version = row.user_version;
	if (version > SCHEMA_VERSION) {
		throw new Error(`database schema version ${version} is newer than this server's (${SCHEMA_VERSION})`);
	}
	for (let step = version; step < SCHEMA_VERSION; step++) {
		db.exec('BEGIN IMMEDIATE');
		try {
			db.exec(STEPS[step]);
			db.exec(`PRAGMA user_version = ${step + 1}`);
			db.exec('COMMIT');
		} catch (e) {
			db.exec('ROLLBACK');
			throw e;
		}
	}
	return version === 0;
}
