/**
 * What an admin manages (issue 3): an `admin` membership at a place manages that place and
 * everything under it (a street admin: the street, its communities and their grids).
 *
 * Users: an admin sees a user who holds at least one membership in places they manage, and
 * may give or take memberships there. A user with no membership at all belongs to no place,
 * so no admin sees them through the API (issue 14: any admin could otherwise reset their
 * password or give them a membership, taking over an account of another street); the admin
 * command line manages them (`npm run admin -- add-membership`). Acts on
 * the account itself — disable, reset the password, revoke sessions, rename — need every one
 * of the user's memberships to be in places they manage, so that an admin of one street can
 * never take over an account that also works in another.
 */
import type { Membership } from '../../domain/roles.ts';
import type { PlaceRecord } from '../store.ts';

/** Ids of every place `memberships` administer: their admin places and all places below. */
export function managedPlaceIds(memberships: readonly Membership[], places: readonly PlaceRecord[]): Set<string> {
	const byId = new Map(places.map((p) => [p.id, p]));
	const children = new Map<string, string[]>();
	for (const p of places) {
		if (p.parentId === null) continue;
		const list = children.get(p.parentId) ?? [];
		list.push(p.id);
		children.set(p.parentId, list);
	}
	const managed = new Set<string>();
	const stack = memberships
		.filter((m) => m.role === 'admin' && byId.get(m.placeId)?.level === m.level)
		.map((m) => m.placeId);
	while (stack.length > 0) {
		const id = stack.pop()!;
		if (managed.has(id)) continue;
		managed.add(id);
		stack.push(...(children.get(id) ?? []));
	}
	return managed;
}

/** Whether an admin managing `managed` sees (lists, gives memberships to) this user. */
export function seesUser(managed: ReadonlySet<string>, userMemberships: readonly Membership[]): boolean {
	return userMemberships.some((m) => managed.has(m.placeId));
}

/** Whether an admin managing `managed` may act on this user's account (all memberships managed, at least one). */
export function ownsUser(managed: ReadonlySet<string>, userMemberships: readonly Membership[]): boolean {
	return userMemberships.length > 0 && userMemberships.every((m) => managed.has(m.placeId));
}

export interface PlaceNode extends PlaceRecord {
	children: PlaceNode[];
}

/** The managed places as trees: one root per topmost managed place, children sorted by id. */
export function placeTree(managed: ReadonlySet<string>, places: readonly PlaceRecord[]): PlaceNode[] {
	const nodes = new Map<string, PlaceNode>();
	for (const p of [...places].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
		if (managed.has(p.id)) nodes.set(p.id, { ...p, children: [] });
	}
	const roots: PlaceNode[] = [];
	for (const node of nodes.values()) {
		const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
		if (parent) parent.children.push(node);
		else roots.push(node);
	}
	return roots;
}
