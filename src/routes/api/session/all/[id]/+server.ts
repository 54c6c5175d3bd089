/**
 * `DELETE /api/session/all/:id` → 204: ends one session, the caller's own or, for an admin, one
 * of a user whose memberships they all manage; 404 otherwise (whether it exists is not told).
 * The session's open connections are closed; ending the current one also clears the cookie.
 */
import { managedPlaceIds, ownsUser } from '$lib/server/admin/scope.ts';
import { requireUser } from '$lib/server/admin/guard.ts';
import { clearSessionCookie } from '$lib/server/auth/cookie.ts';
import { api, notFound } from '$lib/server/http/api-error.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const DELETE: RequestHandler = async (event) =>
	api('DELETE /api/session/all/:id', async () => {
		const user = requireUser(event.locals);
		const { store, log, events } = getServices();
		const session = await store.session(event.params.id);
		if (!session) throw notFound('session');
		if (session.userId !== user.id) {
			const managed = managedPlaceIds(user.memberships, await store.places());
			if (managed.size === 0 || !ownsUser(managed, await store.memberships(session.userId))) throw notFound('session');
		}
		await store.deleteSession(session.id);
		log('info', 'auth.sessionRevoked', { by: user.username, user: session.userId });
		events.emit({ userId: session.userId, reason: 'sessionRevoked' });
		if (session.id === event.locals.session?.id) clearSessionCookie(event);
		return new Response(null, { status: 204 });
	});
