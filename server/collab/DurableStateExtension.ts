/**
 * Answers a device's question "what do you hold durably of this document?" (a stateless
 * message, src/lib/domain/durable-state.ts) with the state vector of the update log, or "not
 * yet" while the persistence extension holds updates it could not log. Devices record that
 * answer as confirmed: it decides when their edits count as on the server, and so when a
 * logout may wipe the device. The provider's own acknowledgement count cannot decide that:
 * on reconnect it restarts at 1, so an earlier update's acknowledgement brings it to 0 while
 * the handshake reply is still unacknowledged.
 */
import type { Extension, onStatelessPayload } from '@hocuspocus/server';
import { encodeDurableStateAnswer, isDurableStateQuery } from '../../src/lib/domain/durable-state.ts';
import type { PersistenceExtension } from './PersistenceExtension.ts';

export class DurableStateExtension implements Extension {
	extensionName = 'DurableStateExtension';
	private readonly persistence: PersistenceExtension;

	constructor(persistence: PersistenceExtension) {
		this.persistence = persistence;
	}

	async onStateless({ connection, documentName, payload }: onStatelessPayload): Promise<void> {
		if (!isDurableStateQuery(payload)) return;
		connection.sendStateless(encodeDurableStateAnswer(this.persistence.durableStateVector(documentName)));
	}
}
