/**
 * The grids this user may open: from the server when it answers (and then remembered on the
 * device), otherwise the grids already saved on this device.
 */
import { currentToken, markExpired } from './account.ts';
import { rememberGrids, savedGrids, type GridListing } from './grid-session.ts';
import { syncStatus } from './sync-status.svelte.ts';

export interface GridList {
	grids: GridListing[];
	fromDevice: boolean;
}

export async function listGrids(fetcher: typeof fetch = fetch): Promise<GridList> {
	if (navigator.onLine) {
		try {
			const token = await currentToken();
			const res = await fetcher('/api/grids', { headers: { authorization: `Bearer ${token}` } });
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
