import { listCommunities } from '$lib/client/session-list.ts';

export async function load() {
	return { communities: await listCommunities() };
}
