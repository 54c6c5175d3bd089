/**
 * The grids this user may open: from the server when it answers (and then remembered on the
 * device), otherwise the grids already saved on this device.
 */
import { markExpired } from './account.ts';
import { db, type GridRow } from './db.ts';
import { syncStatus } from './sync-status.svelte.ts';

export interface GridListing {
	id: string;
	name: string;
	communityId: string;
}

export interface GridList {
	grids: GridListing[];
	fromDevice: boolean;
}

export async function listGrids(fetcher: typeof fetch = fetch): Promise<GridList> {
	if (navigator.onLine) {
		try {
			const res = await fetcher('/api/grids');
			if (res.ok) {
				const grids = (await res.json()) as GridListing[];
				await rememberGrids(grids);
				return { grids, fromDevice: false };
			}
			if (res.status === 401) {
				syncStatus.sessionExpired = true;
				await markExpired();
			}
		} catch {
			// unreachable server: fall back to the device
		}
	}
	return { grids: await savedGrids(), fromDevice: true };
}

/** Saves the grids the server listed, keeping each grid's document as it is. */
async function rememberGrids(grids: readonly GridListing[]): Promise<void> {
	const table = db().grids;
	await db().transaction('rw', table, async () => {
		for (const g of grids) {
			const n = await table.update(g.id, { name: g.name, communityId: g.communityId });
			if (n === 0) await table.add({ id: g.id, name: g.name, communityId: g.communityId } as GridRow);
		}
	});
}

/** The grids saved on this device, by id. */
async function savedGrids(): Promise<GridListing[]> {
	const rows = await db().grids.toArray();
	return rows.map((r) => ({ id: r.id, name: r.name, communityId: r.communityId })).sort((a, b) => a.id.localeCompare(b.id));
}
