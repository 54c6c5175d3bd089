/**
 * Where documents sit in the jurisdiction tree (street → community → grid), from the places
 * table. Access is decided from a document's Place (src/lib/domain/roles.ts).
 */
import type { DocName } from '../domain/doc-names.ts';
import { accessFor, type Membership, type Place } from '../domain/roles.ts';
import type { AsyncStore } from './async-store.ts';

/** The Place of a grid, or null when the grid or its parents are not in the tree. */
export async function gridPlace(store: AsyncStore, gridId: string): Promise<Place | null> {
	const grid = await store.place(gridId);
	if (!grid || grid.level !== 'grid' || !grid.parentId) return null;
	const community = await communityPlace(store, grid.parentId);
	return community ? { ...community, gridId } : null;
}

export async function communityPlace(store: AsyncStore, communityId: string): Promise<Place | null> {
	const community = await store.place(communityId);
	if (!community || community.level !== 'community' || !community.parentId) return null;
	const street = await store.place(community.parentId);
	if (!street || street.level !== 'street') return null;
	return { streetId: street.id, communityId };
}

/**
 * The Place of a document, or null when the document does not exist here. A session or
 * dispute document sits in the community its record names (the `records` table); without a
 * record it is unknown (refused).
 */
export async function docPlace(store: AsyncStore, name: DocName): Promise<Place | null> {
	switch (name.kind) {
		case 'grid':
		case 'gridRestricted':
			return gridPlace(store, name.gridId);
		case 'directory':
			return communityPlace(store, name.communityId);
		case 'session': {
			const record = await store.record('session', name.sessionId);
			return record ? communityPlace(store, record.communityId) : null;
		}
		case 'dispute': {
			const record = await store.record('dispute', name.disputeId);
			return record ? communityPlace(store, record.communityId) : null;
		}
	}
}

export interface GridSummary {
	id: string;
	name: string;
	communityId: string;
}

/** The grids whose document `memberships` may open (read or write), sorted by id. */
export async function gridsFor(store: AsyncStore, memberships: readonly Membership[]): Promise<GridSummary[]> {
	const out: GridSummary[] = [];
	for (const g of await store.places('grid')) {
		const place = await gridPlace(store, g.id);
		if (place && accessFor(memberships, 'grid', place) !== 'none') {
			out.push({ id: g.id, name: g.name, communityId: place.communityId });
		}
	}
	return out;
}
