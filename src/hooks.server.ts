/**
 * Resolves the caller's session on every request: an `Authorization: Bearer <token>` header
 * (tools, tests) or the `tongxin_session` cookie (browsers). A renewed session, and every page
 * load, refreshes the cookie; a cookie that no longer names a live session is cleared. The
 * security headers are set for every response, static files too, in server/http-server.ts (the
 * CSP is kit.csp).
 */
import type { Handle } from '@sveltejs/kit';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie.ts';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session.ts';
import { getServices } from '$lib/server/services.ts';

function bearer(header: string | null): string | null {
	const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
	return m ? m[1] : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handle: Handle = async ({ event, resolve }) => {
	// CSRF (Lucia's advice): SvelteKit checks Origin only for form posts; the JSON API also
	// refuses state-changing requests a browser marks as coming from another site.
	if (!SAFE_METHODS.has(event.request.method) && event.request.headers.get('sec-fetch-site') === 'cross-site') {
		getServices().log('warn', 'http.crossSiteRefused', { method: event.request.method, path: event.url.pathname });
		return new Response(JSON.stringify({ error: 'crossSite', message: 'Cross-site requests are not allowed.' }), {
			status: 403,
			headers: { 'content-type': 'application/json' }
		});
	}
	event.locals.user = null;
	event.locals.session = null;
	const fromHeader = bearer(event.request.headers.get('authorization'));
	const fromCookie = fromHeader ? null : (event.cookies.get(SESSION_COOKIE) ?? null);
	const token = fromHeader ?? fromCookie;
	if (token) {
		const valid = await validateSessionToken(getServices().store, token);
		if (valid) {
			event.locals.user = valid.user;
			event.locals.session = valid.session;
			// Page loads also carry the cookie's expiry forward: the WebSocket renews sessions too
			// (AuthExtension) but cannot set a cookie, and the app keeps no other copy of the token.
			const pageLoad = event.request.headers.get('sec-fetch-dest') === 'document';
			if (fromCookie && (valid.renewed || pageLoad)) setSessionCookie(event, token, valid.session.expiresAt);
		} else if (fromCookie) {
			clearSessionCookie(event);
		}
	}
	return resolve(event);
};
