/**
 * Login rate limiting (issues 3 and 14).
 *
 * Failures are counted over a sliding window under two keys:
 * - the account *and* the address together: after FREE_FAILURES, each further attempt waits
 *   a delay, from the last failure's answer, that doubles with every failure (5 s, 10 s, 20 s …
 *   up to MAX_DELAY_MS). Keying by
 *   the pair means an attacker guessing from one address slows only themselves: the account's
 *   owner, at another address, logs in as usual.
 * - the address alone: MAX_FAILURES_PER_ADDRESS whatever the accounts, against one address
 *   trying many accounts.
 *
 * An attempt is counted as a failure *before* the password is checked (beginLoginAttempt
 * checks and records in one synchronous step) and forgotten when the password turns out right
 * (loginSucceeded). So parallel guesses cannot all pass the check before the first failure is
 * recorded: at most FREE_FAILURES of them reach the password check.
 *
 * The client address is SvelteKit's getClientAddress(): behind a proxy adapter-node reads it
 * from ADDRESS_HEADER / XFF_DEPTH (README). Failures live in the store (table
 * `login_failures`), so a restart does not reset them.
 */
import type { Store } from '../store.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failures of one account from one address before delays begin (typos are free). */
export const FREE_FAILURES = 5;
export const FIRST_DELAY_MS = 5000;
export const MAX_DELAY_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ADDRESS = 50;

const normalise = (username: string) => username.trim().toLowerCase();
const pairKey = (username: string, address: string) => `pair:${address}|${normalise(username)}`;
const addressKey = (address: string) => `address:${address}`;

/** The wait after `failures` failures of one account from one address. */
export function delayAfter(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES));
}

/** Seconds until a login may be tried again, or null when it may be tried now. */
export function loginRetryAfter(store: Store, username: string, address: string, now: number = Date.now()): number | null {
	const since = now - LOGIN_WINDOW_MS;
	let until = 0;
	const pair = store.loginFailuresSince(pairKey(username, address), since);
	if (pair.newest !== null) until = pair.newest + delayAfter(pair.count);
	const byAddress = store.loginFailuresSince(addressKey(address), since);
	if (byAddress.count >= MAX_FAILURES_PER_ADDRESS && byAddress.oldest !== null) until = Math.max(until, byAddress.oldest + LOGIN_WINDOW_MS);
	return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
}

export type LoginAttempt = { admitted: true; at: number } | { admitted: false; retryAfter: number };

/**
 * Admits a login attempt and counts it as a failure at once, or says how long to wait. Check
 * and record happen in one synchronous transaction, before any password check.
 */
export function beginLoginAttempt(store: Store, username: string, address: string, now: number = Date.now()): LoginAttempt {
	return store.transaction((): LoginAttempt => {
		const retryAfter = loginRetryAfter(store, username, address, now);
		if (retryAfter !== null) return { admitted: false, retryAfter };
		store.pruneLoginFailures(now - LOGIN_WINDOW_MS);
		store.recordLoginFailure(pairKey(username, address), now);
		store.recordLoginFailure(addressKey(address), now);
		return { admitted: true, at: now };
	});
}

/** The password was wrong: the delay runs from now, when the attempt was answered. */
export function loginFailed(store: Store, username: string, address: string, at: number, now: number = Date.now()): void {
	store.transaction(() => {
		store.forgetLoginFailure(pairKey(username, address), at);
		store.recordLoginFailure(pairKey(username, address), Math.max(at, now));
	});
}

/** The password was right: the pair's failures are forgotten, and this attempt's count at the address. */
export function loginSucceeded(store: Store, username: string, address: string, at: number): void {
	store.transaction(() => {
		store.clearLoginFailures(pairKey(username, address));
		store.forgetLoginFailure(addressKey(address), at);
	});
}
