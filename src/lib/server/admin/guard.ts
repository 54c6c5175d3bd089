/**
 * Who may use the admin API: a signed-in user (else 401) holding at least one `admin`
 * membership (else 403). Each route then checks that the place or user concerned is within
 * what that admin manages (scope.ts).
 */
import type { SessionUser } from '../auth/session.ts';
import { ApiError, forbidden, notFound, unauthenticated } from '../http/api-error.ts';
import { getServices } from '../services.ts';
import type { PlaceRecord, UserAccount } from '../store.ts';
import { managedPlaceIds, ownsUser, seesUser } from './scope.ts';

export interface AdminContext {
	user: SessionUser;
	managed: Set<string>;
	places: PlaceRecord[];
}

export function requireUser(locals: { user: SessionUser | null }): SessionUser {
	if (!locals.user) throw unauthenticated();
	return locals.user;
}

export async function requireAdmin(locals: { user: SessionUser | null }): Promise<AdminContext> {
	const user = requireUser(locals);
	const places = await getServices().store.places();
	const managed = managedPlaceIds(user.memberships, places);
	if (managed.size === 0) throw forbidden('Only admins may do this.');
	return { user, managed, places };
}

/** The place `id` if this admin manages it; 404 when it does not exist, 403 when not theirs. */
export function managedPlace(admin: AdminContext, id: string): PlaceRecord {
	const place = admin.places.find((p) => p.id === id);
	if (!place) throw notFound('place');
	if (!admin.managed.has(id)) throw forbidden('This place is outside your jurisdiction.');
	return place;
}

/** The account `id` as this admin sees it; 404 when it does not exist or is not theirs to see. */
export async function seenUser(admin: AdminContext, id: string): Promise<UserAccount> {
	const account = (await getServices().store.listUsers()).find((u) => u.id === id);
	if (!account || !seesUser(admin.managed, account.memberships)) throw notFound('user');
	return account;
}

/** As `seenUser`, and the admin must manage every one of its memberships (account-level acts). */
export async function ownedUser(admin: AdminContext, id: string): Promise<UserAccount> {
	const account = await seenUser(admin, id);
	if (!ownsUser(admin.managed, account.memberships))
		throw new ApiError(403, 'forbidden', 'This user also works in places outside your jurisdiction.');
	return account;
}

/** The account `id` after a change, with its memberships. */
export async function accountOf(id: string): Promise<UserAccount> {
	const account = (await getServices().store.listUsers()).find((u) => u.id === id);
	if (!account) throw notFound('user');
	return account;
}
