import { listGrids } from '$lib/client/grid-list.ts';

export async function load({ fetch }) {
	return listGrids(fetch);
}
