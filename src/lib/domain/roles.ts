/**
 * Roles, jurisdictions and the access matrix (design.md §2 and §4, glossary.md).
 *
 * The matrix is written once, here, and used by the server (the only judge: Hocuspocus
 * `onAuthenticate`, the HTTP API) and by the client (which only hides what a user cannot do).
 */
import type { DocKind } from './doc-names.ts';

export const ROLES = [
	'admin',
	'committee',
	'gridWorker',
	'liaison',
	'policeDeputy',
	'mediator'
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Levels of the jurisdiction tree: street → community → grid. */
export type Level = 'street' | 'community' | 'grid';

/**
 * A role held at one place of the jurisdiction tree. A grid-level membership also carries the
 * community its grid belongs to (`communityId`, filled by whoever reads the membership from the
 * places table): members of a grid are members of its community, so it reaches that
 * community's community-level documents too (see `covers`). Without it, only the grid's own.
 */
export interface Membership {
	role: Role;
	level: Level;
	placeId: string;
	communityId?: string;
}

/** Where a document sits in the tree; `gridId` only for grid documents. */
export interface Place {
	streetId: string;
	communityId: string;
	gridId?: string;
}

export type Access = 'none' | 'read' | 'write';

/** Role × document kind → access, for a membership whose place covers the document. */
export const ACCESS_MATRIX: Readonly<Record<Role, Readonly<Record<DocKind, Access>>>> = {
	admin: { grid: 'write', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'write' },
	committee: { grid: 'write', gridRestricted: 'none', session: 'write', dispute: 'read', directory: 'write' },
	gridWorker: { grid: 'write', gridRestricted: 'none', session: 'read', dispute: 'none', directory: 'read' },
	liaison: { grid: 'write', gridRestricted: 'none', session: 'read', dispute: 'none', directory: 'read' },
	policeDeputy: { grid: 'read', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'read' },
	mediator: { grid: 'read', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'read' }
};

const RANK: Readonly<Record<Access, number>> = { none: 0, read: 1, write: 2 };

/** Document kinds that belong to one grid; the others (directory, session, dispute) to a community. */
export function isGridKind(kind: DocKind): boolean {
	return kind === 'grid' || kind === 'gridRestricted';
}

/**
 * Whether a membership's place contains a document of `kind` at `place`. A street or community
 * membership covers everything below it. A grid membership covers its own grid's documents
 * and the community-level documents (directory, session, dispute) of the community its grid
 * belongs to (`membership.communityId`), never the documents of another grid.
 */
export function covers(membership: Membership, place: Place, kind: DocKind): boolean {
	switch (membership.level) {
		case 'street':
			return membership.placeId === place.streetId;
		case 'community':
			return membership.placeId === place.communityId;
		case 'grid':
			if (isGridKind(kind)) return place.gridId !== undefined && membership.placeId === place.gridId;
			return membership.communityId !== undefined && membership.communityId === place.communityId;
	}
}

/**
 * The strongest access any of `memberships` grants to a document of `kind` at `place`.
 * A grid-level membership reaches its own grid's documents and its community's
 * community-level documents (when it carries its `communityId`).
 */
export function accessFor(memberships: readonly Membership[], kind: DocKind, place: Place): Access {
	let best: Access = 'none';
	for (const m of memberships) {
		if (!covers(m, place, kind)) continue;
		const granted = ACCESS_MATRIX[m.role][kind];
		if (RANK[granted] > RANK[best]) best = granted;
	}
	return best;
}
