import { redirect } from '@sveltejs/kit';
import { cachedAccount } from '$lib/client/account.ts';
import { homePath } from '$lib/domain/home.ts';

/** The app's address: each user's own start (a liaison member's households, else the grids). */
export async function load() {
	const account = await cachedAccount();
	redirect(307, account ? homePath(account.user.memberships) : '/grids');
}
