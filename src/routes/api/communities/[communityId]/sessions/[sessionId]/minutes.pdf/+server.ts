/**
 * `GET /api/communities/:communityId/sessions/:sessionId/minutes.pdf` → the session's minutes
 * as a PDF download (会议纪要), from the server's stored document. Read access to the
 * community's sessions is enough. 401 without a session, 404 for an unknown session or one of
 * another community, 403 without access, 503 when the machine has no CJK font.
 */
import { accessFor } from '$lib/domain/roles.ts';
import { readSession } from '$lib/domain/session-doc.ts';
import { CJK_FONT_HINT, findCjkFont } from '$lib/server/cjk-font.ts';
import { errorResponse } from '$lib/server/http/json.ts';
import { renderMinutesPdf } from '$lib/server/minutes-pdf.ts';
import { communityPlace } from '$lib/server/places.ts';
import { sessionDocName } from '$lib/server/sessions.ts';
import { getServices } from '$lib/server/services.ts';
import { readStoredDoc } from '$lib/server/stored-doc.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const user = locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const { store, log } = getServices();
	const record = await store.recordDetails('session', params.sessionId);
	const place = record && record.communityId === params.communityId ? await communityPlace(store, record.communityId) : null;
	if (!record || !place) return errorResponse(404, 'unknownSession', `No session ${params.sessionId} in ${params.communityId}.`);
	if (accessFor(user.memberships, 'session', place) === 'none') return errorResponse(403, 'forbidden', 'You may not see this session.');
	const font = findCjkFont();
	if (!font) {
		log('error', 'export.noCjkFont', { hint: CJK_FONT_HINT });
		return errorResponse(503, 'noCjkFont', `The server cannot write Chinese text into a PDF: ${CJK_FONT_HINT}.`);
	}
	const state = readSession(await readStoredDoc(store, sessionDocName(record.id)));
	const names = new Map(state.attendance.map((a) => [a.userId, a.name]));
	// the PDF asks for names as it writes: read the accounts and places it may name first
	const accounts = new Map((await store.listUsers()).map((u) => [u.id, u.displayName]));
	const places = new Map((await store.places()).map((p) => [p.id, p.name]));
	const nameOf = (id: string) => names.get(id) ?? accounts.get(id) ?? id;
	const placeName = (id: string) => places.get(id) ?? id;
	const bytes = await renderMinutesPdf(state, { font, nameOf, placeName, compress: url.searchParams.get('compress') !== '0' });
	const filename = `minutes-${record.id}.pdf`;
	const title = encodeURIComponent(`会议纪要-${state.meta.title || record.id}.pdf`);
	return new Response(bytes, {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${filename}"; filename*=UTF-8''${title}`,
			'cache-control': 'no-store'
		}
	});
};
