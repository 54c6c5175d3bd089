/** The session cookie: httpOnly, SameSite=Lax, Secure when served over https. */
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session.ts';

interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

export function setSessionCookie(event: CookieEvent, token: string, expiresAt: number): void {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(event: CookieEvent): void {
	event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
}
