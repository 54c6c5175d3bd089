/**
 * Admin API, users (brief "Access API"):
 * - GET  → 200 {users: [{id, username, displayName, disabled, memberships}]} the caller manages
 * - POST {username, password, displayName, membership} → 201 {user}; 409 usernameTaken
 */
import { json } from '@sveltejs/kit';
import { newId } from '$lib/domain/ids.ts';
import { managedPlace, accountOf, requireAdmin } from '$lib/server/admin/guard.ts';
import { CreateUserBody } from '$lib/server/admin/schemas.ts';
import { seesUser } from '$lib/server/admin/scope.ts';
import { hashPassword } from '$lib/server/auth/password.ts';
import { api, ApiError } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) =>
	api('GET /api/admin/users', async () => {
		const admin = await requireAdmin(locals);
		const users = (await getServices().store.listUsers()).filter((u) => seesUser(admin.managed, u.memberships));
		return json({ users });
	});

export const POST: RequestHandler = async ({ locals, request }) =>
	api('POST /api/admin/users', async () => {
		const admin = await requireAdmin(locals);
		const body = await readJson(request, CreateUserBody, 'POST /api/admin/users');
		const place = managedPlace(admin, body.membership.placeId);
		if (place.level !== body.membership.level)
			throw new ApiError(400, 'levelMismatch', `${place.id} is a ${place.level}, not a ${body.membership.level}.`);
		const { store, log } = getServices();
		if (await store.userByUsername(body.username)) throw new ApiError(409, 'usernameTaken', 'That username is taken.');
		const passwordHash = await hashPassword(body.password);
		const id = `u-${newId()}`;
		await store.transaction(async (tx) => {
			await tx.createUser({ id, username: body.username, displayName: body.displayName, passwordHash });
			await tx.addMembership(id, body.membership);
		});
		log('info', 'admin.userCreated', { by: admin.user.username, user: body.username, ...body.membership });
		return json({ user: await accountOf(id) }, { status: 201 });
	});
