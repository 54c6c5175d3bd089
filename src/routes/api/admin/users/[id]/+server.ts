/**
 * Admin API, one user:
 * - GET   → 200 {user}
 * - PATCH {displayName?, disabled?, password?} → 200 {user}. Disabling or a new password ends
 *   every session of the user and closes their open connections.
 */
import { json } from '@sveltejs/kit';
import { accountOf, ownedUser, requireAdmin, seenUser } from '$lib/server/admin/guard.ts';
import { UpdateUserBody } from '$lib/server/admin/schemas.ts';
import { hashPassword } from '$lib/server/auth/password.ts';
import { api, ApiError } from '$lib/server/http/api-error.ts';
import { readJson } from '$lib/server/http/json.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) =>
	api('GET /api/admin/users/:id', async () => json({ user: await seenUser(await requireAdmin(locals), params.id) }));

export const PATCH: RequestHandler = async ({ locals, params, request }) =>
	api('PATCH /api/admin/users/:id', async () => {
		const admin = await requireAdmin(locals);
		const body = await readJson(request, UpdateUserBody, 'PATCH /api/admin/users/:id');
		const account = await ownedUser(admin, params.id);
		if (body.disabled === true && account.id === admin.user.id)
			throw new ApiError(400, 'cannotDisableSelf', 'You cannot disable your own account.');
		const { store, log, events } = getServices();
		const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
		let endSessions = false;
		await store.transaction(async (tx) => {
			if (body.displayName !== undefined) await tx.setDisplayName(account.id, body.displayName);
			if (body.disabled !== undefined && body.disabled !== account.disabled) {
				await tx.setUserDisabled(account.id, body.disabled);
				endSessions ||= body.disabled;
			}
			if (passwordHash !== null) {
				await tx.setPasswordHash(account.id, passwordHash);
				endSessions = true;
			}
			if (endSessions) await tx.deleteSessionsOfUser(account.id);
		});
		log('info', 'admin.userUpdated', {
			by: admin.user.username,
			user: account.username,
			displayName: body.displayName !== undefined || undefined,
			disabled: body.disabled,
			passwordReset: passwordHash !== null || undefined
		});
		if (endSessions) events.emit({ userId: account.id, reason: body.disabled ? 'userDisabled' : 'passwordReset' });
		return json({ user: await accountOf(account.id) });
	});
