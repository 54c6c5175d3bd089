/**
 * Which session token a /collab connection authenticates with (issue 14).
 *
 * A browser tab sends the placeholder COOKIE_AUTH_TOKEN: the session is then the HttpOnly
 * `tongxin_session` cookie of the WebSocket upgrade request. Browsers attach cookies to a
 * WebSocket opened by any page, so such a connection is admitted only when its Origin is this
 * server's own (ORIGIN when configured, else the request's Host): a page of another site
 * cannot ride a user's cookie (cross-site WebSocket hijacking). Any other token is a session
 * token sent explicitly (scripts, tests, data platforms), checked as before; it needs no
 * Origin check, since a page of another site cannot know it.
 */
import { COOKIE_AUTH_TOKEN } from '../../src/lib/domain/collab-auth.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/session.ts';

export type ConnectionToken =
	| { ok: true; token: string; via: 'token' | 'cookie' }
	| { ok: false; reason: 'missing-token' | 'cross-origin'; origin?: string };

/** Whether `origin` (the Origin header) is this server's: `publicOrigin`, or the Host header. */
export function sameOrigin(origin: string | null, host: string | null, publicOrigin?: string): boolean {
	if (!origin) return false;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	if (publicOrigin) return url.origin === new URL(publicOrigin).origin;
	return host !== null && url.host === host.toLowerCase();
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | null, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
	}
	return null;
}

export function connectionToken(sent: string, headers: Headers, publicOrigin?: string): ConnectionToken {
	if (sent !== COOKIE_AUTH_TOKEN) return sent ? { ok: true, token: sent, via: 'token' } : { ok: false, reason: 'missing-token' };
	const origin = headers.get('origin');
	if (!sameOrigin(origin, headers.get('host'), publicOrigin)) return { ok: false, reason: 'cross-origin', origin: origin?.slice(0, 100) };
	let token: string | null = null;
	try {
		token = cookieValue(headers.get('cookie'), SESSION_COOKIE);
	} catch {
		// a malformed %-escape: no usable cookie
	}
	return token ? { ok: true, token, via: 'cookie' } : { ok: false, reason: 'missing-token' };
}
