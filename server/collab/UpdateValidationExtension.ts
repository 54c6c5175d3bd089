/**
 * Admission of updates: a corrupt Yjs update closes its connection, with a log line.
 *
 * Why this is needed: y-protocols' `readUpdate`/`readSyncStep2`, which Hocuspocus uses to apply
 * incoming updates, catch any exception from `Y.applyUpdate`, print it and carry on, and
 * Hocuspocus then acknowledges the message as applied. So a corrupt update would be silently
 * acknowledged and the sender kept. `beforeSync` runs (awaited) before the update is applied:
 * here the update is decoded first (`Y.decodeUpdate` parses exactly what `applyUpdate` parses),
 * and a failure throws, which makes Hocuspocus close that document connection unacknowledged.
 *
 * Read-only connections' updates are dropped by Hocuspocus itself; we only log the attempt.
 */
import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import { log } from '../log.ts';
import type { CollabContext } from './context.ts';
import { decodeUpdateOnce } from './decoded-update.ts';

const SYNC_STEP_2 = 1;
const UPDATE = 2;

export class UpdateValidationExtension implements Extension {
	extensionName = 'UpdateValidationExtension';
	corruptUpdates = 0;
	readOnlyWrites = 0;

	async beforeSync({ type, payload, connection, documentName, context }: beforeSyncPayload<CollabContext>): Promise<void> {
		if (type !== UPDATE && type !== SYNC_STEP_2) return;
		if (connection.readOnly) {
			if (type === UPDATE) {
				this.readOnlyWrites++;
				log('warn', 'collab.readOnlyWriteDropped', { doc: documentName, user: context.user?.username, bytes: payload.length });
			}
			return;
		}
		try {
			decodeUpdateOnce(payload);
		} catch (error) {
			this.corruptUpdates++;
			log('warn', 'collab.corruptUpdate', {
				doc: documentName,
				user: context.user?.username,
				bytes: payload.length,
				error,
				corruptUpdates: this.corruptUpdates
			});
			throw { code: 4400, reason: 'corrupt-update' };
		}
	}
}
