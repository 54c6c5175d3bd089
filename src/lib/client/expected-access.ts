/**
 * What this device expects the server to allow on a grid before the server has said so
 * (offline, or before the connection is authenticated): the client mirrors the access matrix
 * from the cached memberships so that a read-only role is not offered edits the server would
 * refuse later. The server's answer (authorizedScope) always wins once it comes.
 *
 * A street membership is taken to cover every grid on the device: the device only holds grids
 * the server listed for this user, all inside the user's street.
 */
import { ACCESS_MATRIX, type Access, type Membership } from '../domain/roles.ts';

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

export function expectedGridAccess(memberships: readonly Membership[], gridId: string, communityId: string): Access {
	let best: Access = 'none';
	for (const m of memberships) {
		const covers = m.level === 'street' || (m.level === 'community' && m.placeId === communityId) || (m.level === 'grid' && m.placeId === gridId);
		if (!covers) continue;
		const granted = ACCESS_MATRIX[m.role].grid;
		if (RANK[granted] > RANK[best]) best = granted;
	}
	return best;
}
