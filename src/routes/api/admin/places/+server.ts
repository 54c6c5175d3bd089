/**
 * Admin API, the jurisdiction tree:
 * - GET  → 200 {places: [{id, level, parentId, name, children: […]}]} what the caller manages
 * - POST {level: community|grid, id?, name, parentId} → 201 {place}; a community goes under a
 *   street, a grid under a community (whose document gets the grid's name at once); 409 when
 *   the id is taken. Streets are made with the CLI (`npm run admin -- create-place`).
 */
import { json } from '@sveltejs/kit';
import { gridDocName } from '$lib/domain/doc-names.ts';
import { setGridMeta } from '$lib/domain/grid-doc.ts';
import { newId } from '$lib/domain/ids.ts';
import { managedPlace, requireAdmin } from '$lib/server/admin/guard.ts';
import { CreatePlaceBody } from '$lib/server/admin/schemas.ts';
import { placeTree } from '$lib/server/admin/scope.ts';
import { api, ApiError } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

const PARENT_LEVEL = { community: 'street', grid: 'community' } as const;

export const GET: RequestHandler = async ({ locals }) =>
	api('GET /api/admin/places', async () => {
		const admin = await requireAdmin(locals);
		return json({ places: placeTree(admin.managed, admin.places) });
	});

export const POST: RequestHandler = async ({ locals, request }) =>
	api('POST /api/admin/places', async () => {
		const admin = await requireAdmin(locals);
		const body = await readJson(request, CreatePlaceBody, 'POST /api/admin/places');
		const parent = managedPlace(admin, body.parentId);
		if (parent.level !== PARENT_LEVEL[body.level])
			throw new ApiError(400, 'levelMismatch', `A ${body.level} belongs under a ${PARENT_LEVEL[body.level]}, not a ${parent.level}.`);
		const { store, log, docs } = getServices();
		const id = body.id ?? newId();
		if (await store.place(id)) throw new ApiError(409, 'placeExists', `A place with id ${id} exists.`);
		const place = { id, level: body.level, parentId: parent.id, name: body.name };
		// The grid document first: if its log write fails the route answers 503 and no place
		// exists without its document's name (a retry with the same id writes both).
		if (place.level === 'grid') {
			await docs.edit(gridDocName(id), admin.user.id, (doc) => setGridMeta(doc, { name: place.name, communityId: parent.id }));
		}
		await store.upsertPlace(place);
		log('info', 'admin.placeCreated', { by: admin.user.username, place: id, level: place.level, parent: parent.id });
		return json({ place }, { status: 201 });
	});
