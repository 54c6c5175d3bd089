/**
 * Logging out of a shared device. The user's documents and the cached login leave the device
 * with them, so the next user can read nothing of theirs. Edits the server does not hold yet
 * are never dropped silently: the caller first learns how many there are and either waits for
 * them to sync (syncBeforeLogout) or gets an explicit confirmed discard.
 *
 * "On the server" means what the server said its update log holds (doc-sync.ts records only
 * the server's durable-state answers as confirmed), never the provider's acknowledgement
 * count, which reads 0 too early after a reconnect: a wipe on the strength of that could lose
 * the edits of the handshake reply still in flight.
 */
import { cachedAccount, forgetStrayLogin } from './account.ts';
import { closeConnection } from './connection.ts';
import { deleteDeviceDatabase } from './db.ts';
import { pendingEditsByUser } from './doc-sync.ts';
import { closeAllGrids, syncAllPending } from './grid-session.ts';
import { closeAllSessions, syncAllPendingSessions } from './session-open.ts';
import { gridRefusals } from './grid-refusal.svelte.ts';
import { syncStatus } from './sync-status.svelte.ts';

/** Edits on this device the server does not hold yet (any user's: the wipe takes them all). */
export async function pendingBeforeLogout(): Promise<number> {
	let stored = 0;
	for (const n of (await pendingEditsByUser()).values()) stored += n;
	return Math.max(stored, syncStatus.unsynced);
}

/** Sends this user's pending edits; resolves when the server holds them all. */
export async function syncBeforeLogout(): Promise<void> {
	const account = await cachedAccount();
	if (account) await Promise.all([syncAllPending(account.user.id), syncAllPendingSessions(account.user.id)]);
}

/** Ends the server session when reachable, then removes everything of the user's from the device. */
export async function logoutAndWipe(): Promise<void> {
	let ended = false;
	try {
		ended = (await fetch('/api/session', { method: 'DELETE' })).ok;
	} catch {
		// offline: the cookie is cleared at the next start with a network (forgetStrayLogin)
	}
	await closeAllGrids();
	await closeAllSessions();
	closeConnection();
	await deleteDeviceDatabase();
	syncStatus.pending = {};
	syncStatus.sessionExpired = false;
	syncStatus.refusedDocs = [];
	gridRefusals.clearAll();
	if (!ended) forgetStrayLogin();
}
