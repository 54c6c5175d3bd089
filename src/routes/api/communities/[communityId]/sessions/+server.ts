/**
 * A community's deliberation sessions (issue 5):
 * - GET  → 200 [SessionSummary] for callers with read access to the community's sessions
 * - POST {title, startsAt, topic?, place?, invited?} → 201 SessionSummary; write access only
 * 401 without a session, 404 for an unknown community, 403 without the access, 400 bad body.
 */
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { DomainError } from '$lib/domain/grid-doc.ts';
import { FIELD_LIMITS } from '$lib/domain/schema-check.ts';
import { accessFor, type Access } from '$lib/domain/roles.ts';
import { errorResponse, readJson, withBadRequest } from '$lib/server/http/json.ts';
import { communityPlace } from '$lib/server/places.ts';
import { createSession, listSessions } from '$lib/server/sessions.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestEvent, RequestHandler } from './$types';

const NewSessionBody = z.object({
	title: z.string().trim().min(1, 'title is required').max(FIELD_LIMITS.sessionTitle),
	startsAt: z.iso.datetime({ offset: true, error: 'startsAt must be an ISO date-time' }),
	topic: z.string().max(FIELD_LIMITS.sessionTopic).default(''),
	place: z
		.object({
			lng: z.number().min(-180).max(180),
			lat: z.number().min(-90).max(90),
			label: z.string().max(FIELD_LIMITS.sessionPlaceLabel).default('')
		})
		.nullable()
		.default(null),
	invited: z.array(z.string().min(1).max(64)).max(200).default([])
});

/** The caller's access to sessions of the community, or the error answer. */
async function access(event: RequestEvent): Promise<{ access: Access; communityId: string } | Response> {
	const user = event.locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const communityId = event.params.communityId;
	const place = await communityPlace(getServices().store, communityId);
	if (!place) return errorResponse(404, 'unknownCommunity', `No community ${communityId}.`);
	const a = accessFor(user.memberships, 'session', place);
	if (a === 'none') return errorResponse(403, 'forbidden', 'You may not see the sessions of this community.');
	return { access: a, communityId };
}

export const GET: RequestHandler = async (event) => {
	const a = await access(event);
	if (a instanceof Response) return a;
	return json(await listSessions(getServices().store, a.communityId));
};

export const POST: RequestHandler = async (event) =>
	withBadRequest(async () => {
		const a = await access(event);
		if (a instanceof Response) return a;
		if (a.access !== 'write') return errorResponse(403, 'forbidden', 'You may not create sessions in this community.');
		const body = await readJson(event.request, NewSessionBody, 'POST /api/communities/:id/sessions');
		const { store, log } = getServices();
		try {
			const session = await createSession(store, a.communityId, body, event.locals.user!.id);
			log('info', 'session.created', { id: session.id, community: a.communityId, user: event.locals.user!.username });
			return json(session, { status: 201 });
		} catch (e) {
			if (e instanceof DomainError) return errorResponse(400, e.code, e.message);
			throw e;
		}
	});
