/**
 * The HTTP session and grids API against a real server (contract in the brief).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
	fetch(`${server.url}/api/session`, { method: 'POST', headers, body });

describe('POST /api/session', () => {
	it('logs in with the demo password: token, user with memberships, httpOnly cookie', async () => {
		const res = await post(JSON.stringify({ username: 'demo-gridworker', password: 'tongxin-demo' }));
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.token).toMatch(/^[a-z2-7]{32}$/);
		expect(body.user).toEqual({
			id: 'u-demo-gridworker',
			username: 'demo-gridworker',
			displayName: expect.any(String),
			memberships: [{ role: 'gridWorker', level: 'grid', placeId: 'g1', communityId: 'c1' }] // a grid membership names its community
		});
		expect(body.user.passwordHash).toBeUndefined();
		const cookie = res.headers.get('set-cookie') ?? '';
		expect(cookie).toContain(`tongxin_session=${body.token}`);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i); // served over plain http here
	});

	it('answers 401 invalidCredentials for a wrong password or an unknown user', async () => {
		for (const body of [
			{ username: 'demo-gridworker', password: 'wrong' },
			{ username: 'nobody', password: 'tongxin-demo' }
		]) {
			const res = await post(JSON.stringify(body));
			expect(res.status).toBe(401);
			expect(await res.json()).toEqual({ error: 'invalidCredentials', message: expect.any(String) });
		}
		await server.waitForOutput('auth.loginFailed username=nobody');
	});

	it('answers 400 with a clear message for malformed or incomplete bodies, and logs it', async () => {
		const malformed = await post('{"username": ');
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toEqual({ error: 'malformedJson', message: expect.stringMatching(/JSON/) });
		await server.waitForOutput(/http\.badRequest .*malformedJson/);

		const missing = await post(JSON.stringify({ username: 'demo-admin' }));
		expect(missing.status).toBe(400);
		const body = await missing.json();
		expect(body.error).toBe('invalidBody');
		expect(body.message).toMatch(/password/);

		const wrongType = await post(JSON.stringify([1, 2]));
		expect(wrongType.status).toBe(400);
	});
});

describe('GET and DELETE /api/session', () => {
	it('knows the user by cookie or bearer token, and logout revokes the session', async () => {
		const token = await server.login('demo-committee');
		const byBearer = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
		expect(byBearer.status).toBe(200);
		expect((await byBearer.json()).user.username).toBe('demo-committee');

		const byCookie = await fetch(`${server.url}/api/session`, { headers: { cookie: `tongxin_session=${token}` } });
		expect(byCookie.status).toBe(200);

		const out = await fetch(`${server.url}/api/session`, {
			method: 'DELETE',
			headers: { cookie: `tongxin_session=${token}` }
		});
		expect(out.status).toBe(204);
		expect(out.headers.get('set-cookie')).toMatch(/tongxin_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);

		const after = await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
		expect(after.status).toBe(401);
	});

	it('answers 401 without a session or with a forged token', async () => {
		expect((await fetch(`${server.url}/api/session`)).status).toBe(401);
		const forged = await fetch(`${server.url}/api/session`, { headers: { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } });
		expect(forged.status).toBe(401);
	});
});

describe('cross-site requests', () => {
	it('refuses a state-changing request a browser marks as cross-site', async () => {
		const res = await post(JSON.stringify({ username: 'demo-admin', password: 'tongxin-demo' }), {
			'content-type': 'application/json',
			'sec-fetch-site': 'cross-site'
		});
		expect(res.status).toBe(403);
		expect((await res.json()).error).toBe('crossSite');
		const same = await post(JSON.stringify({ username: 'demo-admin', password: 'tongxin-demo' }), {
			'content-type': 'application/json',
			'sec-fetch-site': 'same-origin'
		});
		expect(same.status).toBe(200);
	});
});

describe('GET /api/grids', () => {
	const grids = async (username: string) => {
		const token = await server.login(username);
		const res = await fetch(`${server.url}/api/grids`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
		return (await res.json()) as { id: string; name: string; communityId: string }[];
	};

	it('lists the grids each role may open', async () => {
		expect((await grids('demo-admin')).map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5', 'g6']);
		expect((await grids('demo-committee')).map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
		expect((await grids('demo-police')).map((g) => g.id)).toEqual(['g1', 'g2', 'g3']);
		const own = await grids('demo-gridworker');
		expect(own).toEqual([{ id: 'g1', name: expect.any(String), communityId: 'c1' }]);
		expect((await grids('demo-liaison')).map((g) => g.id)).toEqual(['g2']);
	});

	it('answers 401 without a session', async () => {
		const res = await fetch(`${server.url}/api/grids`);
		expect(res.status).toBe(401);
		expect((await res.json()).error).toBe('unauthenticated');
	});
});
