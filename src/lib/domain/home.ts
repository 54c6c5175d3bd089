/**
 * Where a user lands after logging in (issue 13): a liaison party member's work is their
 * households (/liaison), not the grid map every other role starts from. Someone who holds
 * another role as well starts from the grids, which lead to both.
 */
import type { Membership } from './roles.ts';

export type HomePath = '/grids' | '/liaison';

export function homePath(memberships: readonly Membership[]): HomePath {
	return memberships.length > 0 && memberships.every((m) => m.role === 'liaison') ? '/liaison' : '/grids';
}
