/**
 * In-process notice that a user's access may have changed: a membership given or taken, the
 * account disabled, a session revoked. The admin and session routes emit it after changing the store;
 * server/collab/RevocationExtension.ts listens and re-judges that user's open connections.
 *
 * Only a hint to look again: the listener always re-reads the store, so a notice that changed
 * nothing costs a few queries and closes nothing.
 */

export type AccessChangeReason = 'membershipAdded' | 'membershipRemoved' | 'userDisabled' | 'sessionRevoked' | 'passwordReset';

export interface AccessChange {
	userId: string;
	reason: AccessChangeReason;
}

export type AccessListener = (change: AccessChange) => void;

export class AccessEvents {
	private readonly listeners = new Set<AccessListener>();

	/** Calls `listener` for every change; returns the function that stops it. */
	on(listener: AccessListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	emit(change: AccessChange): void {
		for (const listener of this.listeners) listener(change);
	}
}
