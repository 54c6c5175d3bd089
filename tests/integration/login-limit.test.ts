/**
 * The login rate limit as an attacker meets it, behind a proxy that names the client's address
 * in X-Forwarded-For (ADDRESS_HEADER / XFF_DEPTH): parallel guesses do not all reach the
 * password check, the delay grows with each failure, and the account's owner at another
 * address is not locked out. Without ADDRESS_HEADER the header is not trusted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREE_FAILURES } from '../../src/lib/server/auth/rate-limit.ts';
import { DEMO_PASSWORD, startServer, type TestServer } from '../helpers/server.ts';

let proxied: TestServer;
let direct: TestServer;

beforeAll(async () => {
	[proxied, direct] = await Promise.all([
		startServer({ env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' } }),
		startServer()
	]);
});
afterAll(async () => {
	await Promise.all([proxied?.stop(), direct?.stop()]);
});

const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.2';

async function tryLogin(server: TestServer, address: string, username: string, password: string) {
	const res = await fetch(`${server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
		body: JSON.stringify({ username, password })
	});
	const body = (await res.json()) as { error?: string; token?: string };
	return { status: res.status, error: body.error, token: body.token, retryAfter: Number(res.headers.get('retry-after')) };
}

describe('login rate limit behind a proxy', () => {
	it('lets at most the free attempts of 20 parallel guesses reach the password check', async () => {
		const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => tryLogin(proxied, ATTACKER, 'demo-gridworker', `guess-${i}`)));
		const checked = answers.filter((a) => a.status === 401);
		const refused = answers.filter((a) => a.status === 429);
		expect(checked.length).toBeGreaterThan(0);
		expect(checked.length).toBeLessThanOrEqual(FREE_FAILURES);
		expect(checked.length + refused.length).toBe(20);
		for (const r of refused) {
			expect(r.error).toBe('tooManyAttempts');
			expect(r.retryAfter).toBeGreaterThanOrEqual(1);
		}
		const failedLines = proxied.output().match(/auth\.loginFailed/g) ?? [];
		expect(failedLines.length).toBeLessThanOrEqual(FREE_FAILURES);
	});

	it('does not lock the account for its owner at another address', async () => {
		const owner = await tryLogin(proxied, OWNER, 'demo-gridworker', DEMO_PASSWORD);
		expect(owner.status).toBe(200);
		expect(owner.token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('makes the attacker wait longer after each further failure (429 with a growing Retry-After)', async () => {
		// fill the free attempts whatever the first test left, then meet the first delay
		let first = await tryLogin(proxied, ATTACKER, 'demo-liaison', 'wrong');
		while (first.status === 401) first = await tryLogin(proxied, ATTACKER, 'demo-liaison', 'wrong');
		expect(first.status).toBe(429);
		let next = first;
		// wait out the delay: retry until the server admits a guess again (bounded)
		const started = Date.now();
		while (next.status === 429 && Date.now() - started < 60_000) {
			await new Promise((r) => setTimeout(r, 250));
			next = await tryLogin(proxied, ATTACKER, 'demo-liaison', 'still-wrong');
		}
		expect(next.status).toBe(401);
		const after = await tryLogin(proxied, ATTACKER, 'demo-liaison', 'wrong-again');
		expect(after.status).toBe(429);
		expect(after.retryAfter).toBeGreaterThan(first.retryAfter);
	});
});

describe('login rate limit without a proxy setting', () => {
	it('does not trust X-Forwarded-For: a forged address does not escape the delay', async () => {
		for (let i = 0; i < FREE_FAILURES; i++) {
			expect((await tryLogin(direct, `192.0.2.${i}`, 'demo-mediator', `guess-${i}`)).status).toBe(401);
		}
		expect((await tryLogin(direct, '192.0.2.200', 'demo-mediator', DEMO_PASSWORD)).status).toBe(429);
	});
});
