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
 * checks and records in one transaction) and forgotten when the password turns out right
 * (loginSucceeded). So parallel guesses cannot all pass the check before the first failure is
 * recorded: at most FREE_FAILURES of them reach the password check. With an asynchronous
 * store two transactions could both read the count before either records (PostgreSQL's READ
 * COMMITTED), so this process admits attempts one at a time (`admissions` below); instances
 * sharing one database (issue 10's scale-out) would need a lock in the database as well.
 *
 * The client address is SvelteKit's getClientAddress(): behind a proxy adapter-node reads it
 * from ADDRESS_HEADER / XFF_DEPTH (README). Failures live in the store (table
 * `login_failures`), so a restart does not reset them.
 */
import type { AsyncStore, AsyncStoreQueries } from '../async-store.ts';

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
export async function loginRetryAfter(
	store: AsyncStoreQueries,
	username: string,
	address: string,
	now: number = Date.now()
): Promise<number | null> {
	const since = now - LOGIN_WINDOW_MS;
	let until = 0;
	const pair = await store.loginFailuresSince(pairKey(username, address), since);
	if (pair.newest !== null) until = pair.newest + delayAfter(pair.count);
	const byAddress = await store.loginFailuresSince(addressKey(address), since);
	if (byAddress.count >= MAX_FAILURES_PER_ADDRESS && byAddress.oldest !== null) until = Math.max(until, byAddress.oldest + LOGIN_WINDOW_MS);
	return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : null;
}

export type LoginAttempt = { admitted: true; at: number } | { admitted: false; retryAfter: number };

/** The admission running now (settled when it ends): the next one starts after it. */
let admissions: Promise<unknown> = Promise.resolve();

/**
 * Admits a login attempt and counts it as a failure at once, or says how long to wait. Check
 * and record happen in one transaction, one admission at a time in this process, before any
 * password check.
 */
export function beginLoginAttempt(store: AsyncStore, username: string, address: string, now: number = Date.now()): Promise<LoginAttempt> {
	const admission = admissions.then(() =>
		store.transaction(async (tx): Promise<LoginAttempt> => {
			const retryAfter = await loginRetryAfter(tx, username, address, now);
			if (retryAfter !== null) return { admitted: false, retryAfter };
			await tx.pruneLoginFailures(now - LOGIN_WINDOW_MS);
			await tx.recordLoginFailure(pairKey(username, address), now);
			await tx.recordLoginFailure(addressKey(address), now);
			return { admitted: true, at: now };
		})
	);
	admissions = admission.catch(() => undefined);
	return admission;
}

/** The password was wrong: the delay runs from now, when the attempt was answered. */
export async function loginFailed(store: AsyncStore, username: string, address: string, at: number, now: number = Date.now()): Promise<void> {
	await store.transaction(async (tx) => {
		await tx.forgetLoginFailure(pairKey(username, address), at);
		await tx.recordLoginFailure(pairKey(username, address), Math.max(at, now));
	});
}

/** The password was right: the pair's failures are forgotten, and this attempt's count at the address. */
export async function loginSucceeded(store: AsyncStore, username: string, address: string, at: number): Promise<void> {
	await store.transaction(async (tx) => {
		await tx.clearLoginFailures(pairKey(username, address));
		await tx.forgetLoginFailure(addressKey(address), at);
	});
}
