/**
 * `GET /api/docs/:docName/standing` → what the caller may do with one document, and if
 * nothing, why, so a page can say "not found" or "not allowed, ask …" instead of opening an
 * empty document the server will refuse:
 * - 200 {access: read|write, placeName}
 * - 404 {error: 'unknownDocument'} for a malformed name or a document with no place
 * - 403 {error: 'forbidden', placeName, askWhom: [{displayName, role}]}: the admins and
 *   committee members whose place covers the document (whom to ask for access)
 * 401 without a session. Users are named, never listed by id.
 */
import { json } from '@sveltejs/kit';
import { covers } from '$lib/domain/roles.ts';
import { requireUser } from '$lib/server/admin/guard.ts';
import { docAccess } from '$lib/server/doc-access.ts';
import { api, ApiError } from '$lib/server/http/api-error.ts';
import { docPlace } from '$lib/server/places.ts';
import { parseDocName } from '$lib/domain/doc-names.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

const GRANTORS = new Set(['admin', 'committee']);

export const GET: RequestHandler = async ({ locals, params }) =>
	api('GET /api/docs/:docName/standing', async () => {
		const user = requireUser(locals);
		const { store } = getServices();
		const judged = await docAccess(store, user.memberships, params.docName);
		const name = parseDocName(params.docName);
		const place = name ? await docPlace(store, name) : null;
		const placeName = place ? ((await store.place(place.gridId ?? place.communityId))?.name ?? '') : '';
		if (judged.ok) return json({ access: judged.access, placeName });
		if (judged.reason !== 'forbidden' || !name || !place) throw new ApiError(404, 'unknownDocument', 'No such document.');
		const askWhom = (await store.listUsers())
			.filter((u) => !u.disabled && u.id !== user.id)
			.flatMap((u) => u.memberships.filter((m) => GRANTORS.has(m.role) && covers(m, place, name.kind)).map((m) => ({ displayName: u.displayName, role: m.role })))
			.sort((a, b) => (a.role === b.role ? a.displayName.localeCompare(b.displayName, 'zh-CN') : a.role === 'committee' ? -1 : 1))
			.slice(0, 5);
		return json({ error: 'forbidden', placeName, askWhom }, { status: 403 });
	});
