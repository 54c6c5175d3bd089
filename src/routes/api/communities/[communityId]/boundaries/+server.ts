/**
 * `GET /api/communities/:communityId/boundaries` → the boundaries of the community's grids
 * ([{gridId, name, boundary}]), from the stored grid documents, for the community map of the
 * session list. Needs access to the community's sessions; a boundary is not restricted data.
 */
import { json } from '@sveltejs/kit';
import { gridDocName } from '$lib/domain/doc-names.ts';
import { readGridMeta } from '$lib/domain/grid-doc.ts';
import { accessFor } from '$lib/domain/roles.ts';
import { errorResponse } from '$lib/server/http/json.ts';
import { communityPlace } from '$lib/server/places.ts';
import { getServices } from '$lib/server/services.ts';
import { readStoredDoc } from '$lib/server/stored-doc.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const user = locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const { store } = getServices();
	const place = await communityPlace(store, params.communityId);
	if (!place) return errorResponse(404, 'unknownCommunity', `No community ${params.communityId}.`);
	if (accessFor(user.memberships, 'session', place) === 'none') return errorResponse(403, 'forbidden', 'You may not see the sessions of this community.');
	const grids = await Promise.all(
		(await store.places('grid'))
			.filter((g) => g.parentId === params.communityId)
			.map(async (g) => {
				const meta = readGridMeta(await readStoredDoc(store, gridDocName(g.id)));
				return { gridId: g.id, name: meta.name || g.name, boundary: meta.boundary };
			})
	);
	return json(grids);
};
