/**
 * The Store's access-control parts (schema v2) on a real SQLite file: a v1 database migrates
 * in place keeping its rows; accounts are disabled and re-enabled; memberships are taken;
 * sessions are listed and ended per user; failed logins are counted and pruned; session and
 * dispute records name their community.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './sqlite-schema.ts';
import { SqliteStore } from './sqlite-store.ts';

let dir: string;
const file = () => join(dir, 'tongxin.sqlite');

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-access-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

/** A database exactly as schema version 1 made it, with one user, session and membership. */
function v1Database(): void {
	const db = new DatabaseSync(file());
	db.exec(`
		CREATE TABLE doc_updates (doc TEXT NOT NULL, seq INTEGER NOT NULL, user_id TEXT NOT NULL, received_at INTEGER NOT NULL, update_bytes BLOB NOT NULL, PRIMARY KEY (doc, seq)) WITHOUT ROWID;
		CREATE TABLE doc_snapshots (doc TEXT NOT NULL, seq INTEGER NOT NULL, state BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (doc, seq)) WITHOUT ROWID;
		CREATE TABLE places (id TEXT PRIMARY KEY, level TEXT NOT NULL CHECK (level IN ('street', 'community', 'grid')), parent_id TEXT REFERENCES places (id), name TEXT NOT NULL);
		CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
		CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
		CREATE INDEX sessions_user ON sessions (user_id);
		CREATE TABLE memberships (user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, role TEXT NOT NULL, level TEXT NOT NULL CHECK (level IN ('street', 'community', 'grid')), place_id TEXT NOT NULL REFERENCES places (id), PRIMARY KEY (user_id, role, level, place_id));
		INSERT INTO places VALUES ('st1', 'street', NULL, '枫桥街道'), ('c1', 'community', 'st1', '枫源村');
		INSERT INTO users VALUES ('u1', 'alice', '爱丽丝', 'hash', 1);
		INSERT INTO sessions VALUES ('s1', 'u1', 4102444800000);
		INSERT INTO memberships VALUES ('u1', 'admin', 'street', 'st1');
		PRAGMA user_version = 1;
	`);
	db.close();
}

describe('migration', () => {
	it('migrates a v1 database in place, keeping its rows, and is not "new"', () => {
		v1Database();
		const store = new SqliteStore(file());
		try {
			expect(store.isNew).toBe(false);
			expect(store.session('s1')).toEqual({ id: 's1', userId: 'u1', expiresAt: 4102444800000, createdAt: 0 });
			expect(store.listUsers()).toEqual([
				{ id: 'u1', username: 'alice', displayName: '爱丽丝', disabled: false, memberships: [{ role: 'admin', level: 'street', placeId: 'st1' }] }
			]);
			store.upsertRecord({ kind: 'session', id: 's-1', communityId: 'c1' });
			expect(store.record('session', 's-1')).toEqual({ kind: 'session', id: 's-1', communityId: 'c1' });
		} finally {
			store.close();
		}
		const db = new DatabaseSync(file());
		expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
		db.close();
		new SqliteStore(file()).close(); // a second open migrates nothing
	});
});

describe('accounts, sessions, failures, records', () => {
	let store: SqliteStore;
	beforeEach(() => {
		store = new SqliteStore(file());
		store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '枫桥街道' });
		store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '枫源村' });
		store.createUser({ id: 'u1', username: 'bob', displayName: 'Bob', passwordHash: 'h1' });
		store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' });
		store.addMembership('u1', { role: 'mediator', level: 'community', placeId: 'c1' });
	});
	afterEach(() => store.close());

	it('disables and enables users, changes password and name, takes memberships', () => {
		store.setUserDisabled('u1', true, 5);
		expect(store.userDisabled('u1')).toBe(true);
		expect(store.listUsers()[0].disabled).toBe(true);
		store.setUserDisabled('u1', false);
		expect(store.userDisabled('u1')).toBe(false);
		expect(store.userDisabled('nobody')).toBe(false);
		store.setPasswordHash('u1', 'h2');
		store.setDisplayName('u1', 'Robert');
		expect(store.userByUsername('bob')).toMatchObject({ displayName: 'Robert', passwordHash: 'h2' });
		expect(store.removeMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' })).toBe(true);
		expect(store.removeMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' })).toBe(false);
		expect(store.memberships('u1')).toEqual([{ role: 'mediator', level: 'community', placeId: 'c1' }]);
	});

	it("gives a grid membership its grid's community from the places table, in memberships and listUsers", () => {
		store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '一网格' });
		store.addMembership('u1', { role: 'liaison', level: 'grid', placeId: 'g1' });
		const expected = [
			{ role: 'committee', level: 'community', placeId: 'c1' },
			{ role: 'mediator', level: 'community', placeId: 'c1' },
			{ role: 'liaison', level: 'grid', placeId: 'g1', communityId: 'c1' }
		];
		expect(store.memberships('u1')).toEqual(expected);
		expect(store.listUsers()[0].memberships).toEqual(expected);
		// taking it back works with or without the community on the membership
		expect(store.removeMembership('u1', { role: 'liaison', level: 'grid', placeId: 'g1', communityId: 'c1' })).toBe(true);
	});

	it('lists and ends sessions per user, newest first', () => {
		store.createSession({ id: 'a', userId: 'u1', expiresAt: 100, createdAt: 1 });
		store.createSession({ id: 'b', userId: 'u1', expiresAt: 200, createdAt: 2 });
		expect(store.sessionsOfUser('u1').map((s) => s.id)).toEqual(['b', 'a']);
		expect(store.deleteSessionsOfUser('u1').sort()).toEqual(['a', 'b']);
		expect(store.sessionsOfUser('u1')).toEqual([]);
	});

	it('counts failed logins per key in a window, clears and prunes them', () => {
		for (const at of [10, 20, 30]) store.recordLoginFailure('account:bob', at);
		store.recordLoginFailure('address:1.2.3.4', 25);
		expect(store.loginFailuresSince('account:bob', 15)).toEqual({ count: 2, oldest: 20, newest: 30 });
		expect(store.loginFailuresSince('account:nobody', 0)).toEqual({ count: 0, oldest: null, newest: null });
		store.recordLoginFailure('account:bob', 30);
		store.forgetLoginFailure('account:bob', 30);
		expect(store.loginFailuresSince('account:bob', 0).count).toBe(3);
		expect(store.pruneLoginFailures(21)).toBe(2);
		store.clearLoginFailures('account:bob');
		expect(store.loginFailuresSince('account:bob', 0).count).toBe(0);
		expect(store.loginFailuresSince('address:1.2.3.4', 0).count).toBe(1);
	});

	it('renames places and maps records to their community', () => {
		store.renamePlace('c1', '枫源社区');
		expect(store.place('c1')?.name).toBe('枫源社区');
		store.upsertRecord({ kind: 'dispute', id: 'd1', communityId: 'c1' });
		expect(store.record('dispute', 'd1')?.communityId).toBe('c1');
		expect(store.record('session', 'd1')).toBeNull();
	});
});
