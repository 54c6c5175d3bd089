/**
 * Login rate limiting (issue 3): failed logins are counted per account and per address over
 * a sliding window. While either count is at its limit, POST /api/session answers 429 with
 * Retry-After before checking the password, so guessing gets no further. A successful login
 * clears the account's count (not the address's: one address may try many accounts).
 *
 * Failures live in the store (table `login_failures`), so a restart does not reset them.
 */
import type { Store } from '../store.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;

const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

/** Seconds until a login may be tried again, or null when it may be tried now. */
export function loginRetryAfter(store: Store, username: string, address: string, now: number = Date.now()): number | null {
	const since = now - LOGIN_WINDOW_MS;
	let until = 0;
	for (const [key, limit] of [
		[accountKey(username), MAX_FAILURES_PER_ACCOUNT],
		[addressKey(address), MAX_FAILURES_PER_ADDRESS]
	] as const) {
		const { count, oldest } = store.loginFailuresSince(key, since);
		if (count >= limit && oldest !== null) until = Math.max(until, oldest + LOGIN_WINDOW_MS);
	}
	return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
}

export function recordLoginFailure(store: Store, username: string, address: string, now: number = Date.now()): void {
	store.transaction(() => {
		store.pruneLoginFailures(now - LOGIN_WINDOW_MS);
		store.recordLoginFailure(accountKey(username), now);
		store.recordLoginFailure(addressKey(address), now);
	});
}

export function recordLoginSuccess(store: Store, username: string): void {
	store.clearLoginFailures(accountKey(username));
}
