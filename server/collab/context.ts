/**
 * What a Hocuspocus connection carries after AuthExtension admitted it, and how to find the
 * user behind a Yjs transaction origin (for attributing updates in the log).
 */
import type { Access } from '../../src/lib/domain/roles.ts';
import type { SessionUser } from '../../src/lib/server/auth/session.ts';
import type { SocketHandle } from './socket-guard.ts';

export interface CollabContext {
	user: SessionUser;
	access: Exclude<Access, 'none'>;
	/** The session that admitted the connection (RevocationExtension checks it is still live). */
	sessionId: string;
	/** The socket's handle for the pre-login guard (socket-guard.ts); set when the socket opens. */
	socket?: SocketHandle;
}

/** The context of a server-side edit through a direct connection (doc-editor.ts). */
export interface DirectContext {
	directUserId: string;
	/** Set while a server-side edit already in the log is applied (PersistenceExtension.logServerEdit). */
	loggedBeforeApply?: boolean;
}

/**
 * The user id a transaction origin stands for: the connection's user, the user a server-side
 * edit was made for, else 'system'.
 */
export function userIdOf(origin: unknown): string {
	if (typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'connection') {
		const context = (origin as { connection?: { context?: Partial<CollabContext> } }).connection?.context;
		if (context?.user?.id) return context.user.id;
		return 'unknown';
	}
	if (typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'redis') return 'redis';
	if (typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'local') {
		const userId = (origin as { context?: Partial<DirectContext> }).context?.directUserId;
		if (typeof userId === 'string' && userId) return userId;
	}
	return 'system';
}
