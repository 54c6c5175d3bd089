import { redirect } from '@sveltejs/kit';
import { cachedAccount, validateSession } from '$lib/client/account.ts';
import { offlineAccessOpen } from '$lib/client/offline-window.ts';
import type { AccountRow } from '$lib/client/db.ts';

export const ssr = false;

/**
 * The working area needs a login cached on this device; with none, go to the login page.
 * Past the offline window (offline-window.ts) the server must vouch for the session again,
 * else the login page asks for the password and brings the user back here.
 */
export async function load({ url }) {
	// read before anything else: SvelteKit reruns this load on each navigation only if it did
	const here = url.pathname + url.search;
	const account = await cachedAccount();
	if (!account) redirect(307, '/login');
	if (!offlineAccessOpen(account) && !(navigator.onLine && (await validateSession()))) {
		redirect(307, `/login?reason=offlineEnded&returnTo=${encodeURIComponent(here)}`);
	}
	return { account: sameAsBefore((await cachedAccount()) ?? account) };
}

let previous: { json: string; account: AccountRow } | null = null;

/**
 * This load runs again on every navigation (to re-check the window); an unchanged account
 * keeps its object, so pages deriving from it do not reopen their documents.
 */
function sameAsBefore(account: AccountRow): AccountRow {
	const json = JSON.stringify(account);
	if (previous?.json === json) return previous.account;
	previous = { json, account };
	return account;
}
