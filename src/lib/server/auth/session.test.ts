import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../server/store/sqlite-store.ts';
import { createSession, generateSessionToken, invalidateSession, SESSION_MS, sessionIdFor, validateSessionToken } from './session.ts';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-session-'));
	store = new SqliteStore(join(dir, 'db.sqlite'));
	store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
	store.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'x' });
	store.addMembership('u1', { role: 'admin', level: 'street', placeId: 'st1' });
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('sessions', () => {
	it('gives the client a random token and stores only its SHA-256', () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(generateSessionToken()).not.toBe(token);
		const session = createSession(store, token, 'u1', 0);
		expect(session.id).toBe(sessionIdFor(token));
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		expect(store.session(token)).toBeNull();
	});

	it('validates to the user with memberships', () => {
		const token = generateSessionToken();
		createSession(store, token, 'u1', 1000);
		const valid = validateSessionToken(store, token, 2000);
		expect(valid?.user).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice', memberships: [{ role: 'admin', level: 'street', placeId: 'st1' }] });
		expect(valid?.renewed).toBe(false);
	});

	it('slides: renewed for 30 days once half the lifetime is used', () => {
		const token = generateSessionToken();
		createSession(store, token, 'u1', 0);
		const later = SESSION_MS / 2 + 1;
		const valid = validateSessionToken(store, token, later);
		expect(valid?.renewed).toBe(true);
		expect(store.session(sessionIdFor(token))?.expiresAt).toBe(later + SESSION_MS);
	});

	it('refuses expired, revoked, unknown and malformed tokens', () => {
		const token = generateSessionToken();
		createSession(store, token, 'u1', 0);
		expect(validateSessionToken(store, token, SESSION_MS)).toBeNull();
		expect(store.session(sessionIdFor(token))).toBeNull(); // expired sessions are deleted

		const other = generateSessionToken();
		const s = createSession(store, other, 'u1', 0);
		invalidateSession(store, s.id);
		expect(validateSessionToken(store, other, 1)).toBeNull();

		for (const bad of [undefined, null, 42, '', 'x'.repeat(10_000), generateSessionToken(), "' OR 1=1 --"]) {
			expect(validateSessionToken(store, bad, 1)).toBeNull();
		}
	});

	it('still validates while another process holds the database lock, renewing on a later request', () => {
		const token = generateSessionToken();
		createSession(store, token, 'u1', 0);
		const later = SESSION_MS / 2 + 1000;
		const operator = new DatabaseSync(join(dir, 'db.sqlite'));
		operator.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
		try {
			const valid = validateSessionToken(store, token, later);
			expect(valid?.user.id).toBe('u1');
			expect(valid?.renewed).toBe(false);
		} finally {
			operator.exec('ROLLBACK');
			operator.close();
		}
		expect(validateSessionToken(store, token, later + 1)?.renewed).toBe(true);
	});
});
