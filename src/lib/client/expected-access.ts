/**
 * What this device expects the server to allow on a document before the server has said so
 * (offline, or before the connection is authenticated): the client mirrors the access matrix
 * from the cached memberships so that a read-only role is not offered edits the server would
 * refuse later. The server's answer (authorizedScope) always wins once it comes.
 *
 * Coverage is the domain's `covers` (the server's own rule), so that a grid membership reaches
 * its grid and its community's community-level documents on both sides alike. One difference:
 * a street membership is taken to cover everything on the device, which only holds documents
 * the server listed for this user, all inside the user's street (the device does not know the
 * street id of a document).
 */
import type { DocKind } from '../domain/doc-names.ts';
import { ACCESS_MATRIX, type Access, covers, type Membership } from '../domain/roles.ts';

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2 };

/** Where a document sits, as far as the device knows: its community, and its grid for grid documents. */
export interface DevicePlace {
	communityId: string;
	gridId?: string;
}

export function expectedAccess(memberships: readonly Membership[], kind: DocKind, where: DevicePlace): Access {
	let best: Access = 'none';
	for (const m of memberships) {
		const covered = m.level === 'street' || covers(m, { streetId: '', ...where }, kind);
		if (!covered) continue;
		const granted = ACCESS_MATRIX[m.role][kind];
		if (RANK[granted] > RANK[best]) best = granted;
	}
	return best;
}

export function expectedGridAccess(memberships: readonly Membership[], gridId: string, communityId: string): Access {
	return expectedAccess(memberships, 'grid', { communityId, gridId });
}
