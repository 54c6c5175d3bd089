/**
 * The session API (HTTP contract in the brief):
 * - POST   {username, password} → 200 {token, user} + cookie; 401 invalidCredentials; 400 bad body;
 *          403 accountDisabled (right password, disabled account); 429 tooManyAttempts with
 *          Retry-After while the progressive delay for this account from this address, or the
 *          limit of the address, runs (src/lib/server/auth/rate-limit.ts)
 * - GET    → 200 {user, settings} or 401 (settings: {offlineGraceDays}, also in the POST answer)
 * - DELETE → 204, session revoked, cookie cleared
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie.ts';
import { verifyPassword } from '$lib/server/auth/password.ts';
import { beginLoginAttempt, loginFailed, loginSucceeded } from '$lib/server/auth/rate-limit.ts';
import { createSession, generateSessionToken, invalidateSession } from '$lib/server/auth/session.ts';
import { errorResponse, readJson, withBadRequest } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

const LoginBody = z.object({
	username: z.string().trim().min(1, 'username is required').max(100),
	password: z.string().min(1, 'password is required').max(1000)
});

/** A hash to verify against when the user does not exist, so both failures take as long. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export const POST: RequestHandler = async (event) =>
	withBadRequest(async () => {
		const { store, log } = getServices();
		const body = await readJson(event.request, LoginBody, 'POST /api/session');
		const address = event.getClientAddress();
		// counted as a failure before the password check, so parallel guesses queue behind it
		const attempt = await beginLoginAttempt(store, body.username, address);
		if (!attempt.admitted) {
			const { retryAfter } = attempt;
			log('warn', 'auth.loginThrottled', { username: body.username.slice(0, 100), address, retryAfter });
			const res = errorResponse(429, 'tooManyAttempts', `Too many failed logins. Try again in ${retryAfter} s.`);
			res.headers.set('retry-after', String(retryAfter));
			return res;
		}
		const user = await store.userByUsername(body.username);
		const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
		if (!user || !ok) {
			await loginFailed(store, body.username, address, attempt.at);
			log('warn', 'auth.loginFailed', { username: body.username.slice(0, 100), address });
			return errorResponse(401, 'invalidCredentials', 'Wrong username or password.');
		}
		await loginSucceeded(store, body.username, address, attempt.at);
		if (await store.userDisabled(user.id)) {
			log('warn', 'auth.loginDisabled', { user: user.username });
			return errorResponse(403, 'accountDisabled', 'This account is disabled. Ask your admin.');
		}
		const token = generateSessionToken();
		const session = await createSession(store, token, user.id);
		setSessionCookie(event, token, session.expiresAt);
		log('info', 'auth.login', { user: user.username });
		const { passwordHash: _, ...publicUser } = user;
		return json({ token, user: { ...publicUser, memberships: await store.memberships(user.id) }, settings: getServices().settings });
	});

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	return json({ user: locals.user, settings: getServices().settings });
};

export const DELETE: RequestHandler = async (event) => {
	const { store, log } = getServices();
	if (event.locals.session) {
		await invalidateSession(store, event.locals.session.id);
		log('info', 'auth.logout', { user: event.locals.user?.username });
		getServices().events.emit({ userId: event.locals.session.userId, reason: 'sessionRevoked' });
	}
	clearSessionCookie(event);
	return new Response(null, { status: 204 });
};
