/** A user's live sessions as the API shows them (ids are the stored SHA-256, never a token). */
import type { AsyncStore } from '../async-store.ts';

export interface SessionInfo {
	id: string;
	createdAt: string | null;
	expiresAt: string;
	/** Whether this is the session making the request. */
	current: boolean;
}

export async function sessionList(store: AsyncStore, userId: string, currentId: string | null, now: number = Date.now()): Promise<SessionInfo[]> {
	return (await store.sessionsOfUser(userId))
		.filter((s) => s.expiresAt > now)
		.map((s) => ({
			id: s.id,
			createdAt: s.createdAt ? new Date(s.createdAt).toISOString() : null,
			expiresAt: new Date(s.expiresAt).toISOString(),
			current: s.id === currentId
		}));
}
