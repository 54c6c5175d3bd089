/** `GET /api/session/all` → 200 {sessions: [{id, createdAt, expiresAt, current}]}: the caller's live sessions. */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/admin/guard.ts';
import { sessionList } from '$lib/server/auth/session-list.ts';
import { api } from '$lib/server/http/api-error.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) =>
	api('GET /api/session/all', async () => {
		const user = requireUser(locals);
		return json({ sessions: await sessionList(getServices().store, user.id, locals.session?.id ?? null) });
	});
