/**
 * Answers a device's question "what do you hold durably of this document?" (a stateless
 * message, src/lib/domain/durable-state.ts) with the state vector of the update log, or "not
 * yet" while the persistence extension holds updates it could not log, and whether the logged
 * document has the deletions the device asks about. Devices record that
 * answer as confirmed: it decides when their edits count as on the server, and so when a
 * logout may wipe the device. The provider's own acknowledgement count cannot decide that:
 * on reconnect it restarts at 1, so an earlier update's acknowledgement brings it to 0 while
 * the handshake reply is still unacknowledged.
 */
import type { Extension, onStatelessPayload } from '@hocuspocus/server';
import { deletionsHeld, encodeDurableStateAnswer, parseDurableStateQuery } from '../../src/lib/domain/durable-state.ts';
import type { PersistenceExtension } from './PersistenceExtension.ts';

export class DurableStateExtension implements Extension {
	extensionName = 'DurableStateExtension';
	private readonly persistence: PersistenceExtension;

	constructor(persistence: PersistenceExtension) {
		this.persistence = persistence;
	}

	async onStateless({ connection, document, documentName, payload }: onStatelessPayload): Promise<void> {
		const query = parseDurableStateQuery(payload);
		if (!query) return;
		// Only when the log holds everything in memory does the document's state speak for the log.
		const stateVector = this.persistence.durableStateVector(documentName);
		const held = stateVector !== null && deletionsHeld(document, query.deletions);
		connection.sendStateless(encodeDurableStateAnswer(query.id, stateVector, held));
	}
}
