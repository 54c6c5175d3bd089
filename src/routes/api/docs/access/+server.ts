/**
 * `POST /api/docs/access` {docs: [name, …]} (at most 500) → 200 {access: {name: none|read|write}}:
 * what the caller may do with each document now, as the WebSocket admission would judge it.
 * A device asks at login about every document it holds, drops those now `none` and opens the
 * `read` ones read-only. Malformed and unknown names are `none`. 401 without a session.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { Access } from '$lib/domain/roles.ts';
import { requireUser } from '$lib/server/admin/guard.ts';
import { docAccess } from '$lib/server/doc-access.ts';
import { api } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

const Body = z.object({ docs: z.array(z.string().max(200)).max(500) });

export const POST: RequestHandler = async ({ locals, request }) =>
	api('POST /api/docs/access', async () => {
		const user = requireUser(locals);
		const { docs } = await readJson(request, Body, 'POST /api/docs/access');
		const { store } = getServices();
		const access: Record<string, Access> = {};
		for (const name of docs) {
			const judged = await docAccess(store, user.memberships, name);
			access[name] = judged.ok ? judged.access : 'none';
		}
		return json({ access });
	});
