import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../server/store/sqlite-store.ts';
import {
	LOGIN_WINDOW_MS,
	loginRetryAfter,
	MAX_FAILURES_PER_ACCOUNT,
	MAX_FAILURES_PER_ADDRESS,
	recordLoginFailure,
	recordLoginSuccess
} from './rate-limit.ts';

let store: SqliteStore;
beforeEach(() => (store = new SqliteStore(':memory:')));
afterEach(() => store.close());

const T0 = 1_800_000_000_000;

describe('login rate limit', () => {
	it('locks an account after its limit until the oldest failure leaves the window', () => {
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) recordLoginFailure(store, 'Bob', `10.0.0.${i}`, T0 + i * 1000);
		expect(loginRetryAfter(store, 'bob', '10.0.0.99', T0 + 60_000)).toBeNull();
		recordLoginFailure(store, 'bob ', '10.0.0.50', T0 + 60_000);
		expect(loginRetryAfter(store, 'BOB', '10.0.0.99', T0 + 60_000)).toBe((LOGIN_WINDOW_MS - 60_000) / 1000);
		expect(loginRetryAfter(store, 'alice', '10.0.0.99', T0 + 60_000)).toBeNull();
		expect(loginRetryAfter(store, 'bob', '10.0.0.99', T0 + LOGIN_WINDOW_MS + 1)).toBeNull();
	});

	it('locks an address after its limit, whatever the account', () => {
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) recordLoginFailure(store, `user${i}`, '10.9.9.9', T0);
		expect(loginRetryAfter(store, 'someone-else', '10.9.9.9', T0 + 1000)).toBe(LOGIN_WINDOW_MS / 1000 - 1);
		expect(loginRetryAfter(store, 'someone-else', '10.9.9.8', T0 + 1000)).toBeNull();
	});

	it("a success clears the account's failures, not the address's", () => {
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) recordLoginFailure(store, 'carol', '10.1.1.1', T0);
		recordLoginSuccess(store, 'Carol');
		expect(store.loginFailuresSince('account:carol', 0).count).toBe(0);
		expect(store.loginFailuresSince('address:10.1.1.1', 0).count).toBe(MAX_FAILURES_PER_ACCOUNT);
	});
});
