/**
 * A browser's /collab connection authenticates with its HttpOnly session cookie (the provider
 * sends only a placeholder token), from the server's own origin only: a page of another site
 * that makes the browser attach a stolen or ambient cookie is refused. An explicit token keeps
 * working for non-browser clients. Pages and API answers carry the CSP and security headers.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { COOKIE_AUTH_TOKEN } from '../../src/lib/domain/collab-auth.ts';
import { listHouseholds } from '../../src/lib/domain/grid-doc.ts';
import { sessionIdFor } from '../../src/lib/server/auth/session.ts';
import { withDb } from '../helpers/access.ts';
import { type Client, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

const f = useServerAndClients();
const opened: Client[] = [];

/** The session cookie a browser would keep after logging in, and the answer's token. */
async function browserLogin(username: string): Promise<{ cookie: string; token: string }> {
	const res = await fetch(`${f.server.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: DEMO_PASSWORD })
	});
	const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('tongxin_session='));
	if (!setCookie) throw new Error('no session cookie');
	expect(setCookie).toMatch(/HttpOnly/i);
	return { cookie: setCookie.split(';')[0], token: ((await res.json()) as { token: string }).token };
}

/** A provider as a browser tab opens it: placeholder token, the upgrade carrying `headers`. */
function browserConnect(name: string, headers: Record<string, string>): Client {
	const WithHeaders = class extends WebSocket {
		constructor(url: string | URL) {
			super(url, { headers } as unknown as string[]);
		}
	};
	const socket = new HocuspocusProviderWebsocket({ url: f.server.wsUrl, WebSocketPolyfill: WithHeaders, maxAttempts: 0, delay: 100, minDelay: 100, maxDelay: 1000 });
	const refusals: string[] = [];
	const doc = new Y.Doc();
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		document: doc,
		token: COOKIE_AUTH_TOKEN,
		onAuthenticationFailed: ({ reason }) => refusals.push(reason)
	});
	provider.attach();
	const client: Client = {
		doc,
		provider,
		socket,
		refusals,
		closes: [],
		destroy() {
			provider.destroy();
			socket.destroy();
		}
	};
	opened.push(client);
	return client;
}

describe('WebSocket authentication by cookie', () => {
	it('admits a same-origin connection by its session cookie', async () => {
		const { cookie } = await browserLogin('demo-gridworker');
		const tab = browserConnect('grid:g1', { cookie, origin: f.server.url });
		await waitAcknowledged(tab);
		expect(listHouseholds(tab.doc).length).toBeGreaterThan(0);
		expect(tab.refusals).toEqual([]);
		tab.destroy();
	});

	it('refuses the cookie from another origin, without an Origin, and the placeholder without a cookie', async () => {
		const { cookie } = await browserLogin('demo-gridworker');
		const hijack = browserConnect('grid:g1', { cookie, origin: 'http://evil.example' });
		const noOrigin = browserConnect('grid:g1', { cookie });
		const noCookie = browserConnect('grid:g1', { origin: f.server.url });
		await waitFor(() => hijack.refusals.length > 0 && noOrigin.refusals.length > 0 && noCookie.refusals.length > 0, 'the refusals');
		expect([hijack.refusals[0], noOrigin.refusals[0], noCookie.refusals[0]]).toEqual(['cross-origin', 'cross-origin', 'missing-token']);
		expect(listHouseholds(hijack.doc)).toEqual([]);
		await f.server.waitForOutput(/collab\.refused reason=cross-origin.*origin=http:\/\/evil\.example/);
		for (const c of opened.splice(0)) c.destroy();
	});

	it('still admits an explicit session token (non-browser clients), from any origin', async () => {
		const { token } = await browserLogin('demo-gridworker');
		const script = f.open('grid:g1', token);
		await waitAcknowledged(script);
		expect(listHouseholds(script.doc).length).toBeGreaterThan(0);
		const res = await fetch(`${f.server.url}/api/grids`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
	});
});

describe('the session cookie', () => {
	it("is carried forward by a page load to the session's expiry, which the WebSocket may have renewed", async () => {
		const { cookie, token } = await browserLogin('demo-committee');
		const renewed = Date.now() + 40 * 24 * 60 * 60 * 1000;
		withDb(f.server, (db) => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(renewed, sessionIdFor(token)));
		const page = await fetch(`${f.server.url}/login`, { headers: { cookie, 'sec-fetch-dest': 'document' } });
		const sent = page.headers.getSetCookie().find((c) => c.startsWith('tongxin_session='));
		expect(sent).toContain(token);
		const expires = Date.parse(/Expires=([^;]+)/i.exec(sent ?? '')?.[1] ?? '');
		expect(Math.abs(expires - renewed)).toBeLessThan(2000);
	});
});

describe('security headers', () => {
	it('sends a Content-Security-Policy with the page, and the usual headers with pages and the API', async () => {
		const page = await fetch(`${f.server.url}/login`);
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("worker-src 'self' blob:");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		const api = await fetch(`${f.server.url}/api/session`);
		for (const res of [page, api]) {
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('referrer-policy')).toBe('same-origin');
		}
		expect(page.headers.get('strict-transport-security')).toBeNull(); // plain http here
	});
});
