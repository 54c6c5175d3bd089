/**
 * `GET /api/communities` → the communities whose deliberation sessions the caller may see:
 * [{id, name, access: 'read' | 'write'}], sorted by id; 401 without a session.
 */
import { json } from '@sveltejs/kit';
import { accessFor } from '$lib/domain/roles.ts';
import { errorResponse } from '$lib/server/http/json.ts';
import { communityPlace } from '$lib/server/places.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const { store } = getServices();
	const out: { id: string; name: string; access: 'read' | 'write' }[] = [];
	for (const c of await store.places('community')) {
		const place = await communityPlace(store, c.id);
		if (!place) continue;
		const access = accessFor(user.memberships, 'session', place);
		if (access !== 'none') out.push({ id: c.id, name: c.name, access });
	}
	return json(out);
};
