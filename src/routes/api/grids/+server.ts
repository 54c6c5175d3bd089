/** `GET /api/grids` → the grids the caller may open: [{id, name, communityId}]; 401 without session. */
import { json } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/http/json.ts';
import { gridsFor } from '$lib/server/places.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	return json(await gridsFor(getServices().store, locals.user.memberships));
};
