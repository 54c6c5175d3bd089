import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAsyncStore } from '../../../../server/store/sqlite-async-store.ts';
import {
	beginLoginAttempt,
	delayAfter,
	FREE_FAILURES,
	LOGIN_WINDOW_MS,
	loginFailed,
	loginRetryAfter,
	loginSucceeded,
	MAX_DELAY_MS,
	MAX_FAILURES_PER_ADDRESS
} from './rate-limit.ts';

let store: SqliteAsyncStore;
beforeEach(() => (store = SqliteAsyncStore.open(':memory:')));
afterEach(() => store.close());

const T0 = 1_800_000_000_000;

/** `n` failed attempts of `username` from `address`, each as early as allowed from `at`; the last one's time. */
async function fail(n: number, username: string, address: string, at: number): Promise<number> {
	let t = at;
	for (let i = 0; i < n; i++) {
		t += (await loginRetryAfter(store, username, address, t) ?? 0) * 1000;
		expect((await beginLoginAttempt(store, username, address, t)).admitted).toBe(true);
	}
	return t;
}

describe('login rate limit', async () => {
	it('admits the free attempts at once and counts each before any password check', async () => {
		// all at once, as parallel requests come: each is counted before the next is checked
		const attempts = await Promise.all(Array.from({ length: 20 }, () => beginLoginAttempt(store, 'bob', '10.0.0.1', T0)));
		const admitted = attempts.filter((a) => a.admitted);
		expect(admitted).toHaveLength(FREE_FAILURES);
	});

	it('then makes each further attempt wait twice as long as the one before, up to a cap', async () => {
		await fail(FREE_FAILURES, 'Bob', '10.0.0.1', T0);
		expect(await loginRetryAfter(store, 'bob ', '10.0.0.1', T0)).toBe(5);
		expect(await loginRetryAfter(store, 'BOB', '10.0.0.1', T0 + 5000)).toBeNull();
		await fail(1, 'bob', '10.0.0.1', T0 + 5000);
		expect(await loginRetryAfter(store, 'bob', '10.0.0.1', T0 + 5000)).toBe(10);
		expect(delayAfter(FREE_FAILURES + 2)).toBe(20_000);
		expect(delayAfter(FREE_FAILURES + 30)).toBe(MAX_DELAY_MS);
	});

	it("one address's failures do not delay the same account from another address", async () => {
		const t = await fail(FREE_FAILURES + 3, 'bob', '203.0.113.7', T0);
		expect(await loginRetryAfter(store, 'bob', '203.0.113.7', t)).toBe(40);
		expect(await loginRetryAfter(store, 'bob', '198.51.100.2', t)).toBeNull();
		expect(await loginRetryAfter(store, 'alice', '203.0.113.7', t)).toBeNull();
	});

	it('runs the delay from when a wrong password was answered', async () => {
		await fail(FREE_FAILURES - 1, 'erin', '10.0.0.3', T0);
		const attempt = await beginLoginAttempt(store, 'erin', '10.0.0.3', T0);
		if (!attempt.admitted) throw new Error('not admitted');
		await loginFailed(store, 'erin', '10.0.0.3', attempt.at, T0 + 3000); // a slow password check
		expect(await loginRetryAfter(store, 'erin', '10.0.0.3', T0 + 3000)).toBe(5);
		expect((await store.loginFailuresSince('pair:10.0.0.3|erin', 0)).count).toBe(FREE_FAILURES);
	});

	it('forgets failures that left the window', async () => {
		const t = await fail(FREE_FAILURES + 3, 'bob', '10.0.0.1', T0);
		expect(await loginRetryAfter(store, 'bob', '10.0.0.1', t + 1000)).toBeGreaterThan(0);
		expect(await loginRetryAfter(store, 'bob', '10.0.0.1', t + LOGIN_WINDOW_MS + 1)).toBeNull();
	});

	it('locks an address after its limit, whatever the account', async () => {
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) await fail(1, `user${i}`, '10.9.9.9', T0);
		expect(await loginRetryAfter(store, 'someone-else', '10.9.9.9', T0 + 1000)).toBe(LOGIN_WINDOW_MS / 1000 - 1);
		expect(await loginRetryAfter(store, 'someone-else', '10.9.9.8', T0 + 1000)).toBeNull();
	});

	it("a success forgets the pair's failures and its own count at the address, not the address's other failures", async () => {
		await fail(3, 'carol', '10.1.1.1', T0);
		await fail(2, 'dave', '10.1.1.1', T0);
		const attempt = await beginLoginAttempt(store, 'Carol', '10.1.1.1', T0 + 1);
		if (!attempt.admitted) throw new Error('not admitted');
		await loginSucceeded(store, 'Carol', '10.1.1.1', attempt.at);
		expect((await store.loginFailuresSince('pair:10.1.1.1|carol', 0)).count).toBe(0);
		expect((await store.loginFailuresSince('address:10.1.1.1', 0)).count).toBe(5);
	});
});
