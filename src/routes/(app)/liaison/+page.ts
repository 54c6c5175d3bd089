import { redirect } from '@sveltejs/kit';
import { listGrids } from '$lib/client/grid-list.ts';

/** With a single grid there is nothing to choose: go straight to it. */
export async function load({ fetch }) {
	const list = await listGrids(fetch);
	if (list.grids.length === 1) redirect(307, `/liaison/${list.grids[0].id}`);
	return list;
}
