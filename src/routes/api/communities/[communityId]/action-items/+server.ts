/**
 * `GET /api/communities/:communityId/action-items[?owner=me][&overdue=1]` → the action items
 * (任务) of the community's deliberation sessions: an owner's task list (`owner=me`) and the
 * community's overdue list (`overdue=1`). Read access to the community's sessions is needed.
 * "Today" is the date in China Standard Time, where the due dates are set.
 */
import { json } from '@sveltejs/kit';
import { accessFor } from '$lib/domain/roles.ts';
import { errorResponse } from '$lib/server/http/json.ts';
import { communityPlace } from '$lib/server/places.ts';
import { communityActionItems } from '$lib/server/sessions.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const user = locals.user;
	if (!user) return errorResponse(401, 'unauthenticated', 'No valid session.');
	const { store } = getServices();
	const place = await communityPlace(store, params.communityId);
	if (!place) return errorResponse(404, 'unknownCommunity', `No community ${params.communityId}.`);
	if (accessFor(user.memberships, 'session', place) === 'none') return errorResponse(403, 'forbidden', 'You may not see the sessions of this community.');
	const today = url.searchParams.get('today') ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) return errorResponse(400, 'invalidToday', 'today is YYYY-MM-DD');
	let items = await communityActionItems(store, params.communityId, today);
	if (url.searchParams.get('owner') === 'me') items = items.filter((i) => i.owner === user.id);
	if (url.searchParams.get('overdue') === '1') items = items.filter((i) => i.overdue);
	return json(items);
};
