/**
 * What the header shows about sync: whether this tab reaches the server, and how many edits
 * made on this device the server does not hold yet (summed over the open documents).
 */
export type NetworkState = 'online' | 'offline' | 'connecting';

class SyncStatus {
	network = $state<NetworkState>('connecting');
	/** Unsynced edits per open document name. */
	pending = $state<Record<string, number>>({});
	/** The server refused the stored token: keep working, log in again to sync. */
	sessionExpired = $state(false);
	/** The login was refused because an admin disabled the account (not an expired login). */
	accountDisabled = $state(false);

	/** Documents the server no longer lets this user open (their local copy goes at next login). */
	refusedDocs = $state<string[]>([]);

	readonly unsynced = $derived(Object.values(this.pending).reduce((a, b) => a + b, 0));

	setPending(docName: string, n: number): void {
		if (this.pending[docName] !== n) this.pending[docName] = n;
	}

	refused(docName: string): void {
		if (!this.refusedDocs.includes(docName)) this.refusedDocs = [...this.refusedDocs, docName];
	}

	forget(docName: string): void {
		delete this.pending[docName];
	}
}

export const syncStatus = new SyncStatus();
