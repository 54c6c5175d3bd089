/**
 * The leaderboard and the community's overdue list cover the whole community: this opens the
 * other grids of a liaison store's community that the user may open and attaches them to it.
 */
import { listGrids } from './grid-list.ts';
import { openGrid, type OpenGrid } from './grid-session.ts';
import type { LiaisonStore } from './liaison-store.svelte.ts';

/** Opens and attaches the community's other grids; the returned function closes them. */
export function attachCommunityGrids(store: LiaisonStore): () => void {
	const opened: OpenGrid[] = [];
	let closed = false;
	void listGrids().then(async ({ grids }) => {
		for (const g of grids) {
			if (g.id === store.gridId || (g.communityId && g.communityId !== store.meta.communityId)) continue;
			const o = await openGrid(g.id);
			if (closed) return o.close();
			opened.push(o);
			store.attachCommunityGrid(g.id, o.doc);
		}
	});
	return () => {
		closed = true;
		for (const o of opened.splice(0)) o.close();
	};
}
