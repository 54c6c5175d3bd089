/**
 * `GET /api/communities/:communityId/members` → the accounts that may take part in the
 * community's deliberation sessions (read or write access to them), for inviting participants
 * and naming them: [{id, displayName, role, access}], sorted by name. Disabled accounts are
 * left out. Needs access to the community's sessions itself.
 */
import { json } from '@sveltejs/kit';
import { accessFor } from '$lib/domain/roles.ts';
import { errorResponse } from '$lib/server/http/json.ts';
import { communityPlace } from '$lib/server/places.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const user = locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const { store } = getServices();
	const place = await communityPlace(store, params.communityId);
	if (!place) return errorResponse(404, 'unknownCommunity', `No community ${params.communityId}.`);
	if (accessFor(user.memberships, 'session', place) === 'none') return errorResponse(403, 'forbidden', 'You may not see the sessions of this community.');
	const members = (await store.listUsers())
		.filter((u) => !u.disabled)
		.map((u) => ({ id: u.id, displayName: u.displayName, role: u.memberships[0]?.role ?? '', access: accessFor(u.memberships, 'session', place) }))
		.filter((m) => m.access !== 'none')
		.sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'));
	return json(members);
};
