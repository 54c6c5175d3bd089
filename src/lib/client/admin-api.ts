/** The admin and auth-session API as the client sees it (brief "Access API"). */
import type { Membership } from '$lib/domain';
import { apiCall } from './api.ts';

export interface AdminUser {
	id: string;
	username: string;
	displayName: string;
	disabled: boolean;
	memberships: Membership[];
}

export interface PlaceNode {
	id: string;
	level: 'street' | 'community' | 'grid';
	parentId: string | null;
	name: string;
	children: PlaceNode[];
}

export interface AuthSession {
	id: string;
	createdAt: string | null;
	expiresAt: string;
	current?: boolean;
}

const enc = encodeURIComponent;

export const adminApi = {
	users: () => apiCall<{ users: AdminUser[] }>('GET', '/api/admin/users'),
	createUser: (body: { username: string; password: string; displayName: string; membership: Membership }) =>
		apiCall<{ user: AdminUser }>('POST', '/api/admin/users', body),
	updateUser: (id: string, patch: { displayName?: string; disabled?: boolean; password?: string }) =>
		apiCall<{ user: AdminUser }>('PATCH', `/api/admin/users/${enc(id)}`, patch),
	addMembership: (id: string, m: Membership) => apiCall<{ user: AdminUser }>('POST', `/api/admin/users/${enc(id)}/memberships`, m),
	removeMembership: (id: string, m: Membership) => apiCall<{ user: AdminUser }>('DELETE', `/api/admin/users/${enc(id)}/memberships`, m),
	userSessions: (id: string) => apiCall<{ sessions: AuthSession[] }>('GET', `/api/admin/users/${enc(id)}/sessions`),
	endUserSessions: (id: string) => apiCall<null>('DELETE', `/api/admin/users/${enc(id)}/sessions`),
	places: () => apiCall<{ places: PlaceNode[] }>('GET', '/api/admin/places'),
	createPlace: (body: { level: 'community' | 'grid'; id?: string; name: string; parentId: string }) =>
		apiCall<{ place: PlaceNode }>('POST', '/api/admin/places', body),
	renamePlace: (id: string, name: string) => apiCall<{ place: PlaceNode }>('PATCH', `/api/admin/places/${enc(id)}`, { name }),
	setBoundary: (gridId: string, polygon: unknown) => apiCall<{ gridId: string }>('PUT', `/api/admin/grids/${enc(gridId)}/boundary`, polygon)
};

export const authSessionApi = {
	mine: () => apiCall<{ sessions: AuthSession[] }>('GET', '/api/session/all'),
	end: (id: string) => apiCall<null>('DELETE', `/api/session/all/${enc(id)}`)
};

/** Places of the trees flattened in order, with their depth (for pickers). */
export function flattenPlaces(trees: readonly PlaceNode[], depth = 0): { place: PlaceNode; depth: number }[] {
	return trees.flatMap((p) => [{ place: p, depth }, ...flattenPlaces(p.children, depth + 1)]);
}
