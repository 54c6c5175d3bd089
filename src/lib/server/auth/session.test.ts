import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAsyncStore } from '../../../../server/store/sqlite-async-store.ts';
import { createSession, generateSessionToken, invalidateSession, SESSION_MS, sessionIdFor, validateSessionToken } from './session.ts';

let dir: string;
let store: SqliteAsyncStore;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-session-'));
	store = SqliteAsyncStore.open(join(dir, 'db.sqlite'));
	await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
	await store.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'x' });
	await store.addMembership('u1', { role: 'admin', level: 'street', placeId: 'st1' });
});
afterEach(async () => {
	await store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('sessions', async () => {
	it('gives the client a random token and stores only its SHA-256', async () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(generateSessionToken()).not.toBe(token);
		const session = await createSession(store, token, 'u1', 0);
		expect(session.id).toBe(sessionIdFor(token));
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		expect(await store.session(token)).toBeNull();
	});

	it('validates to the user with memberships', async () => {
		const token = generateSessionToken();
		await createSession(store, token, 'u1', 1000);
		const valid = await validateSessionToken(store, token, 2000);
		expect(valid?.user).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice', memberships: [{ role: 'admin', level: 'street', placeId: 'st1' }] });
		expect(valid?.renewed).toBe(false);
	});

	it('slides: renewed for 30 days once half the lifetime is used', async () => {
		const token = generateSessionToken();
		await createSession(store, token, 'u1', 0);
		const later = SESSION_MS / 2 + 1;
		const valid = await validateSessionToken(store, token, later);
		expect(valid?.renewed).toBe(true);
		expect((await store.session(sessionIdFor(token)))?.expiresAt).toBe(later + SESSION_MS);
	});

	it('refuses expired, revoked, unknown and malformed tokens', async () => {
		const token = generateSessionToken();
		await createSession(store, token, 'u1', 0);
		expect(await validateSessionToken(store, token, SESSION_MS)).toBeNull();
		expect(await store.session(sessionIdFor(token))).toBeNull(); // expired sessions are deleted

		const other = generateSessionToken();
		const s = await createSession(store, other, 'u1', 0);
		await invalidateSession(store, s.id);
		expect(await validateSessionToken(store, other, 1)).toBeNull();

		for (const bad of [undefined, null, 42, '', 'x'.repeat(10_000), generateSessionToken(), "' OR 1=1 --"]) {
			expect(await validateSessionToken(store, bad, 1)).toBeNull();
		}
	});

	it('still validates while another process holds the database lock, renewing on a later request', async () => {
		const token = generateSessionToken();
		await createSession(store, token, 'u1', 0);
		const later = SESSION_MS / 2 + 1000;
		const operator = new DatabaseSync(join(dir, 'db.sqlite'));
		operator.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
		try {
			const valid = await validateSessionToken(store, token, later);
			expect(valid?.user.id).toBe('u1');
			expect(valid?.renewed).toBe(false);
		} finally {
			operator.exec('ROLLBACK');
			operator.close();
		}
		expect((await validateSessionToken(store, token, later + 1))?.renewed).toBe(true);
	});
});
