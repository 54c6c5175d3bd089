/**
 * Admin API, one place: PATCH {name} → 200 {place}. A grid's new name also goes into its
 * document's meta, live for connected clients.
 */
import { json } from '@sveltejs/kit';
import { gridDocName } from '$lib/domain/doc-names.ts';
import { setGridMeta } from '$lib/domain/grid-doc.ts';
import { managedPlace, requireAdmin } from '$lib/server/admin/guard.ts';
import { RenamePlaceBody } from '$lib/server/admin/schemas.ts';
import { api } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const PATCH: RequestHandler = async ({ locals, params, request }) =>
	api('PATCH /api/admin/places/:id', async () => {
		const admin = await requireAdmin(locals);
		const { name } = await readJson(request, RenamePlaceBody, 'PATCH /api/admin/places/:id');
		const place = managedPlace(admin, params.id);
		const { store, log, docs } = getServices();
		// The document first: a refused log write answers 503 before the places table changes.
		if (place.level === 'grid') await docs.edit(gridDocName(place.id), admin.user.id, (doc) => setGridMeta(doc, { name }));
		await store.renamePlace(place.id, name);
		log('info', 'admin.placeRenamed', { by: admin.user.username, place: place.id, name });
		return json({ place: { ...place, name } });
	});
