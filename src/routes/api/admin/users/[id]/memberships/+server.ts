/**
 * Admin API, a user's memberships (the place must be one the caller manages):
 * - POST   {role, level, placeId} → 201 {user}; the user's read-only connections that may now
 *   write are re-admitted (reason `access-extended`).
 * - DELETE {role, level, placeId} → 200 {user}; 404 when the user does not hold it. The user's
 *   open connections to documents they may no longer open are closed at once.
 */
import { json } from '@sveltejs/kit';
import type { AdminContext } from '$lib/server/admin/guard.ts';
import { accountOf, managedPlace, requireAdmin, seenUser } from '$lib/server/admin/guard.ts';
import { MembershipBody } from '$lib/server/admin/schemas.ts';
import { api, ApiError, notFound } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

async function target(admin: AdminContext, request: Request, route: string) {
	const membership = await readJson(request, MembershipBody, route);
	const place = managedPlace(admin, membership.placeId);
	if (place.level !== membership.level)
		throw new ApiError(400, 'levelMismatch', `${place.id} is a ${place.level}, not a ${membership.level}.`);
	return membership;
}

export const POST: RequestHandler = async ({ locals, params, request }) =>
	api('POST /api/admin/users/:id/memberships', async () => {
		const admin = await requireAdmin(locals);
		const account = await seenUser(admin, params.id);
		const membership = await target(admin, request, 'POST /api/admin/users/:id/memberships');
		const { store, log, events } = getServices();
		await store.addMembership(account.id, membership);
		log('info', 'admin.membershipAdded', { by: admin.user.username, user: account.username, ...membership });
		events.emit({ userId: account.id, reason: 'membershipAdded' });
		return json({ user: await accountOf(account.id) }, { status: 201 });
	});

export const DELETE: RequestHandler = async ({ locals, params, request }) =>
	api('DELETE /api/admin/users/:id/memberships', async () => {
		const admin = await requireAdmin(locals);
		const account = await seenUser(admin, params.id);
		const membership = await target(admin, request, 'DELETE /api/admin/users/:id/memberships');
		const { store, log, events } = getServices();
		if (!await store.removeMembership(account.id, membership)) throw notFound('membership');
		log('info', 'admin.membershipRemoved', { by: admin.user.username, user: account.username, ...membership });
		events.emit({ userId: account.id, reason: 'membershipRemoved' });
		return json({ user: await accountOf(account.id) });
	});
