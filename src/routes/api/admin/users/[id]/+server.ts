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

export const GET: RequestHandler = ({ locals, params }) =>
	api('GET /api/admin/users/:id', () => json({ user: seenUser(requireAdmin(locals), params.id) }));

export const PATCH: RequestHandler = ({ locals, params, request }) =>
	api('PATCH /api/admin/users/:id', async () => {
		const admin = requireAdmin(locals);
		const body = await readJson(request, UpdateUserBody, 'PATCH /api/admin/users/:id');
		const account = ownedUser(admin, params.id);
		if (body.disabled === true && account.id === admin.user.id)
			throw new ApiError(400, 'cannotDisableSelf', 'You cannot disable your own account.');
		const { store, log, events } = getServices();
		const passwordHash = body.password === undefined ? null : await hashPassword(body.password);
		let endSessions = false;
		store.transaction(() => {
			if (body.displayName !== undefined) store.setDisplayName(account.id, body.displayName);
			if (body.disabled !== undefined && body.disabled !== account.disabled) {
				store.setUserDisabled(account.id, body.disabled);
				endSessions ||= body.disabled;
			}
			if (passwordHash !== null) {
				store.setPasswordHash(account.id, passwordHash);
				endSessions = true;
			}
			if (endSessions) store.deleteSessionsOfUser(account.id);
		});
		log('info', 'admin.userUpdated', {
			by: admin.user.username,
			user: account.username,
			displayName: body.displayName !== undefined || undefined,
			disabled: body.disabled,
			passwordReset: passwordHash !== null || undefined
		});
		if (endSessions) events.emit({ userId: account.id, reason: body.disabled ? 'userDisabled' : 'passwordReset' });
		return json({ user: accountOf(account.id) });
	});
