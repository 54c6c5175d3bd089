/**
 * Admission: who may open which document (design.md §4). The server is the only judge.
 *
 * For each document a connection asks for: the name must parse exactly (doc-names.ts), the
 * token must be a live session, the document must exist in the jurisdiction tree, and the
 * user's memberships must grant access to it. 'read' access opens the document read-only
 * (Hocuspocus drops that connection's updates). Every refusal is a log line with the reason (at a
 * bounded rate) and is told to the socket's guard, which may close the socket (socket-guard.ts).
 */
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { validateSessionToken } from '../../src/lib/server/auth/session.ts';
import { docAccess } from '../../src/lib/server/doc-access.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { connectionToken } from './connection-token.ts';
import { logLimited } from '../log-limited.ts';
import type { CollabContext } from './context.ts';

/** What the provider sees: its `onAuthenticationFailed` gets `reason`. */
class Refusal {
	readonly code = 4403;
	readonly reason: string;
	constructor(reason: string) {
		this.reason = reason;
	}
}

export class AuthExtension implements Extension {
	extensionName = 'AuthExtension';
	refusals = 0;
	private readonly store: AsyncStore;
	/** ORIGIN when configured: what a cookie-authenticated connection's Origin must be. */
	private readonly publicOrigin: string | undefined;

	constructor(store: AsyncStore, options: { publicOrigin?: string } = {}) {
		this.store = store;
		this.publicOrigin = options.publicOrigin;
	}

	async onAuthenticate(data: onAuthenticatePayload): Promise<CollabContext> {
		const { documentName, token, connectionConfig, socketId, requestHeaders } = data;
		const socket = (data.context as Partial<CollabContext> | undefined)?.socket;
		const refuse = (reason: string, fields: Record<string, unknown> = {}): never => {
			this.refusals++;
			socket?.refused(reason);
			// a client can provoke this at will: a bounded number of lines (log-limited.ts)
			logLimited('warn', 'collab.refused', {
				reason,
				doc: documentName.length > 80 ? `${documentName.slice(0, 80)}…` : documentName,
				docLength: documentName.length > 80 ? documentName.length : undefined,
				socket: socketId,
				refusals: this.refusals,
				...fields
			});
			throw new Refusal(reason);
		};

		const name = parseDocName(documentName);
		if (!name) return refuse('invalid-document-name');

		// an explicit token, or the placeholder for the upgrade request's session cookie
		const sent = connectionToken(token, requestHeaders, this.publicOrigin);
		if (!sent.ok) return refuse(sent.reason, { origin: sent.origin });
		const valid = await validateSessionToken(this.store, sent.token);
		if (!valid) return refuse('invalid-token', { via: sent.via });

		const judged = await docAccess(this.store, valid.user.memberships, documentName);
		if (!judged.ok) return refuse(judged.reason, { user: valid.user.username });
		if (judged.access === 'read') connectionConfig.readOnly = true;
		socket?.authenticated();

		return { user: valid.user, access: judged.access, sessionId: valid.session.id };
	}
}
