/**
 * Sessions in the Lucia style (design.md §4).
 *
 * The client gets a random token (20 bytes, base32); the database keeps only its SHA-256 as
 * the session id, so a leaked database holds no usable token. Sessions last 30 days and slide:
 * a session used in the second half of its life is extended to a full 30 days again.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Membership } from '../../domain/roles.ts';
import type { AsyncStore } from '../async-store.ts';
import { isStorageBusy, type SessionRecord, type User } from '../store.ts';

export const SESSION_COOKIE = 'tongxin_session';
export const SESSION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_MS = SESSION_DAYS * DAY_MS;

export interface SessionUser extends User {
	memberships: Membership[];
}

export interface ValidSession {
	session: SessionRecord;
	user: SessionUser;
	/** Whether this validation extended the expiry (a cookie should be sent again). */
	renewed: boolean;
}

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id stored for `token`: hex SHA-256. */
export function sessionIdFor(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(store: AsyncStore, token: string, userId: string, now: number = Date.now()): Promise<SessionRecord> {
	const session: SessionRecord = { id: sessionIdFor(token), userId, expiresAt: now + SESSION_MS, createdAt: now };
	await store.createSession(session);
	return session;
}

/** Runs a write that may wait for a later request; false if the database was locked. */
async function bestEffort(write: () => Promise<void>): Promise<boolean> {
	try {
		await write();
		return true;
	} catch (error) {
		if (isStorageBusy(error)) return false;
		throw error;
	}
}

/** Tokens are base32 of 20 bytes; anything else is refused before touching the database. */
const TOKEN_RE = /^[a-z2-7]{32}$/;

/**
 * The session and user for `token`, or null when the token is malformed, unknown or expired
 * (an expired session is deleted), or its user is disabled. Renews the expiry when half of it
 * has been used.
 */
export async function validateSessionToken(store: AsyncStore, token: unknown, now: number = Date.now()): Promise<ValidSession | null> {
	if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
	const session = await store.session(sessionIdFor(token));
	if (!session) return null;
	if (now >= session.expiresAt) {
		await bestEffort(() => store.deleteSession(session.id));
		return null;
	}
	if (await store.userDisabled(session.userId)) return null;
	let renewed = false;
	// While another process holds the database's lock, renewal waits for a later request
	// rather than turning this one into an error.
	if (now >= session.expiresAt - SESSION_MS / 2 && (await bestEffort(() => store.updateSessionExpiry(session.id, now + SESSION_MS)))) {
		session.expiresAt = now + SESSION_MS;
		renewed = true;
	}
	const user = await store.userById(session.userId);
	if (!user) return null;
	return { session, user: { ...user, memberships: await store.memberships(user.id) }, renewed };
}

export async function invalidateSession(store: AsyncStore, sessionId: string): Promise<void> {
	await store.deleteSession(sessionId);
}
