/**
 * Freezing signed-off sessions (issue 5): once a session document asks to be frozen (every
 * present participant signed off the closed session, or the chair closed it with a recorded
 * reason: session-doc.ts `freezeState`), the server
 *  1. makes every connection to it read-only at once, so no later update is applied
 *     (Hocuspocus answers a read-only connection's updates with a negative sync status),
 *  2. keeps the SHA-256 of the final state (`sessionHash`) in the session's record, and
 *  3. writes that hash into the document (`markFrozen`), where every device shows it.
 * After a restart the record's hash decides: connections to a frozen session are opened
 * read-only from the start.
 *
 * The check runs on the document's update event, which Yjs emits synchronously inside the
 * apply of each incoming update, so the connections are read-only before the next message
 * from any of them is handled. It is a few map reads per update, and only on session documents.
 * Steps 2 and 3 follow a moment later, after the server's own writes that the same update asked
 * for (RulesExtension.settle: the count of a vote closed together with the meeting), so the
 * hash is of the state with the server's count.
 */
import type { afterLoadDocumentPayload, connectedPayload, Document, Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { freezeState, markFrozen, readSessionMeta, sessionHash } from '../../src/lib/domain/session-doc.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { log } from '../log.ts';

/** Origin of the server's own write of the hash (stored in the log as 'system'). */
export const FREEZE_ORIGIN = { source: 'local', context: { freeze: true } } as const;

function sessionIdOf(documentName: string): string | null {
	const name = parseDocName(documentName);
	return name?.kind === 'session' ? name.sessionId : null;
}

export class FreezeExtension implements Extension {
	extensionName = 'FreezeExtension';
	frozenCount = 0;
	private readonly store: AsyncStore;
	/**
	 * Documents known frozen: frozen in this process (their connections are read-only even if
	 * the record write failed), or found frozen in the store when a connection or load came.
	 */
	private readonly frozen = new Set<string>();

	/** Runs the server's own pending writes to a document (RulesExtension.settle: a closed vote's count) before its hash is taken. */
	private readonly settle: (documentName: string, document: Document) => void;

	constructor(store: AsyncStore, options: { settle?: (documentName: string, document: Document) => void } = {}) {
		this.store = store;
		this.settle = options.settle ?? (() => {});
	}

	/**
	 * Whether connections to `documentName` are held read-only because the session is frozen
	 * (RevocationExtension must not take that for reduced access and re-admit them).
	 */
	isFrozen(documentName: string): boolean {
		// Every connection was admitted (onAuthenticate) after its session's record was read, so
		// the set knows each frozen document that has connections.
		return this.frozen.has(documentName);
	}

	/** Whether the store says the session is frozen (and remembers it). */
	private async frozenInStore(documentName: string, id: string): Promise<string | null> {
		const hash = (await this.store.recordDetails('session', id))?.frozenHash ?? null;
		if (hash) this.frozen.add(documentName);
		return hash;
	}

	/** Runs after AuthExtension admitted the connection: a frozen session opens read-only. */
	async onAuthenticate({ documentName, connectionConfig }: onAuthenticatePayload): Promise<void> {
		const id = sessionIdOf(documentName);
		if (id && (await this.frozenInStore(documentName, id))) connectionConfig.readOnly = true;
	}

	/** A connection admitted while the document was being frozen joins read-only too. */
	async connected({ documentName, connection }: connectedPayload): Promise<void> {
		const id = sessionIdOf(documentName);
		if (id && (this.frozen.has(documentName) || (await this.frozenInStore(documentName, id)))) connection.readOnly = true;
	}

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
		const id = sessionIdOf(documentName);
		if (!id) return;
		const stored = await this.frozenInStore(documentName, id);
		if (stored) {
			// frozen before: make sure the document shows the hash (a crash may have come between)
			if (!readSessionMeta(document).frozenHash) this.writeHash(document, stored);
			return;
		}
		const check = () => {
			if (freezeState(document) !== 'due') return;
			document.off('update', check);
			void this.freeze(document, id);
		};
		document.on('update', check);
		check();
	}

	private async freeze(document: Document, id: string): Promise<void> {
		this.frozen.add(document.name);
		for (const connection of document.getConnections()) connection.readOnly = true;
		// The hash a moment later, outside the update event that made the session due: the
		// server's own writes asked for by that update (the count of a vote closed in the same
		// update: RulesExtension) run first, so the frozen record holds the server's count.
		setImmediate(() => void this.record(document, id));
	}

	private async record(document: Document, id: string): Promise<void> {
		this.settle(document.name, document);
		// unloaded meanwhile: its next load finds it due and freezes it then
		if (document.isDestroyed) return;
		const hash = sessionHash(document);
		let kept = hash;
		try {
			if (!(await this.store.freezeRecord('session', id, hash))) kept = (await this.store.recordDetails('session', id))?.frozenHash ?? hash;
		} catch (error) {
			// Connections stay read-only in memory; the next load checks again.
			log('error', 'session.freezeFailed', { id, error });
			return;
		}
		this.frozenCount++;
		log('info', 'session.frozen', { id, hash: kept });
		this.writeHash(document, kept);
	}

	private writeHash(document: Document, hash: string): void {
		if (document.isDestroyed) return;
		try {
			document.transact(() => markFrozen(document, hash), FREEZE_ORIGIN);
		} catch (error) {
			log('error', 'session.markFrozenFailed', { doc: document.name, error });
		}
	}
}
