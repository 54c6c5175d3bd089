import { redirect } from '@sveltejs/kit';
import { cachedAccount } from '$lib/client/account.ts';

export const ssr = false;

/** The working area needs a login cached on this device; with none, go to the login page. */
export async function load() {
	const account = await cachedAccount();
	if (!account) redirect(307, '/login');
	return { account };
}
