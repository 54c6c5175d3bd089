/**
 * Admin API, a grid's boundary: PUT a GeoJSON Polygon (closed rings, finite coordinates,
 * at most 5000 points; src/lib/domain/boundary.ts) → 200 {gridId, boundary}. Written into the
 * grid document's meta through Hocuspocus, so connected clients see it at once, and logged
 * under the admin's id like any other edit.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { checkBoundary } from '$lib/domain/boundary.ts';
import { gridDocName } from '$lib/domain/doc-names.ts';
import { setGridMeta } from '$lib/domain/grid-doc.ts';
import { managedPlace, requireAdmin } from '$lib/server/admin/guard.ts';
import { api, ApiError, notFound } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = async ({ locals, params, request }) =>
	api('PUT /api/admin/grids/:id/boundary', async () => {
		const admin = await requireAdmin(locals);
		const grid = managedPlace(admin, params.id);
		if (grid.level !== 'grid') throw notFound('grid');
		const body = await readJson(request, z.unknown(), 'PUT /api/admin/grids/:id/boundary');
		const checked = checkBoundary(body);
		if (!checked.ok) throw new ApiError(400, 'invalidBoundary', checked.message, checked.reason);
		const { log, docs } = getServices();
		await docs.edit(gridDocName(grid.id), admin.user.id, (doc) => setGridMeta(doc, { boundary: checked.polygon }));
		const points = checked.polygon.coordinates.reduce((n, ring) => n + ring.length, 0);
		log('info', 'admin.boundarySet', { by: admin.user.username, grid: grid.id, points });
		return json({ gridId: grid.id, boundary: checked.polygon });
	});
