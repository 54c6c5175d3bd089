/**
 * Admin API, a user's sessions (every membership of the user must be the caller's to manage):
 * - GET    → 200 {sessions: [{id, createdAt, expiresAt, current}]}
 * - DELETE → 204, every session ended and the user's open connections closed
 */
import { json } from '@sveltejs/kit';
import { ownedUser, requireAdmin } from '$lib/server/admin/guard.ts';
import { sessionList } from '$lib/server/auth/session-list.ts';
import { api } from '$lib/server/http/api-error.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) =>
	api('GET /api/admin/users/:id/sessions', async () => {
		const account = await ownedUser(await requireAdmin(locals), params.id);
		return json({ sessions: await sessionList(getServices().store, account.id, locals.session?.id ?? null) });
	});

export const DELETE: RequestHandler = async ({ locals, params }) =>
	api('DELETE /api/admin/users/:id/sessions', async () => {
		const admin = await requireAdmin(locals);
		const account = await ownedUser(admin, params.id);
		const { store, log, events } = getServices();
		const ended = await store.deleteSessionsOfUser(account.id);
		log('info', 'admin.sessionsRevoked', { by: admin.user.username, user: account.username, sessions: ended.length });
		events.emit({ userId: account.id, reason: 'sessionRevoked' });
		return new Response(null, { status: 204 });
	});
