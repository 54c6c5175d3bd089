/**
 * Every answer of the real server carries the security headers, once: pages and the API (which
 * SvelteKit's hooks see) and the files adapter-node serves by itself (the app's immutable
 * scripts, the icons, the manifest, the service worker). A script served without `nosniff`, or
 * a file that may be framed, is what a browser would otherwise take. HSTS only over https: the
 * public ORIGIN's scheme, or the protocol a proxy names in PROTOCOL_HEADER.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const servers: TestServer[] = [];
afterAll(async () => {
	await Promise.all(servers.map((s) => s.stop()));
});

const EXPECTED = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'same-origin',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), payment=(), usb=(), geolocation=(self)'
};

/** The headers a browser would read; a header sent twice reads as "a, b" here. */
function securityOf(res: Response): Record<string, string | null> {
	return Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, res.headers.get(name)]));
}

/** The app's own script and style files that the login page links to. */
async function appAssets(url: string): Promise<string[]> {
	const html = await (await fetch(`${url}/login`)).text();
	return [...new Set([...html.matchAll(/(?:href|src|import\()\s*=?\s*["']([^"']*\/_app\/immutable\/[^"']+)["']/g)].map((m) => new URL(m[1], `${url}/login`).pathname))];
}

describe('security headers on every response', () => {
	it('pages, the API, the immutable app files, icons, manifest and service worker: each header once', async () => {
		const s = await startServer({ env: { LOG_LEVEL: 'warn' } });
		servers.push(s);
		const assets = await appAssets(s.url);
		expect(assets.length).toBeGreaterThan(0);
		const paths = ['/login', '/api/session', ...assets.slice(0, 5), '/icon-192.png', '/icon.svg', '/manifest.webmanifest', '/service-worker.js', '/no-such-file.js'];
		for (const path of paths) {
			const res = await fetch(`${s.url}${path}`);
			await res.arrayBuffer();
			if (path !== '/no-such-file.js' && path !== '/api/session') expect(res.status, path).toBe(200);
			expect(securityOf(res), path).toEqual(EXPECTED);
			expect(res.headers.get('strict-transport-security'), path).toBeNull(); // plain http
		}
		// the page keeps its own CSP (with a nonce); a static file has none to keep
		expect((await fetch(`${s.url}/login`)).headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+'/);
	});

	it('HSTS when the public origin is https, and when a trusted proxy says the request came over https', async () => {
		const behindHttps = await startServer({ env: { LOG_LEVEL: 'warn', ORIGIN: 'https://tongxin.example.org' } });
		servers.push(behindHttps);
		for (const path of ['/login', '/icon-192.png', '/service-worker.js']) {
			const res = await fetch(`${behindHttps.url}${path}`);
			expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
			expect(securityOf(res), path).toEqual(EXPECTED);
		}

		const proxied = await startServer({ env: { LOG_LEVEL: 'warn', PROTOCOL_HEADER: 'x-forwarded-proto' } });
		servers.push(proxied);
		const overHttps = await fetch(`${proxied.url}/icon-192.png`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000');
		const overHttp = await fetch(`${proxied.url}/icon-192.png`, { headers: { 'x-forwarded-proto': 'http' } });
		expect(overHttp.headers.get('strict-transport-security')).toBeNull();
	});

	it('a client cannot claim https on a server that is told nothing (the header it would use is overwritten)', async () => {
		const s = await startServer({ env: { LOG_LEVEL: 'warn' } });
		servers.push(s);
		const res = await fetch(`${s.url}/login`, { headers: { 'x-tongxin-protocol': 'https', 'x-forwarded-proto': 'https' } });
		expect(res.headers.get('strict-transport-security')).toBeNull();
	});
});
