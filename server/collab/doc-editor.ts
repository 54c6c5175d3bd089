/**
 * The DocEditor (src/lib/server/doc-editor.ts) on Hocuspocus: a direct connection opens the
 * document (loading it from the store if no client has it open), and the change is made on a
 * copy first. Its update is written to the log (PersistenceExtension.logServerEdit) and only
 * then applied to the live document in one transaction whose origin carries the user
 * (context.ts `userIdOf`), which broadcasts it to every device. If the log refuses it, nothing
 * was applied and the edit throws EditNotSaved: the route answers an error instead of 200 for
 * an edit that would vanish when the document unloads. The connection is closed again, which
 * unloads the document when nobody else has it open.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { type DocEditor, EditNotSaved } from '../../src/lib/server/doc-editor.ts';
import { isStorageBusy } from '../../src/lib/server/store.ts';
import type { DirectContext } from './context.ts';
import type { PersistenceExtension } from './PersistenceExtension.ts';

export function createDocEditor(hocuspocus: Hocuspocus, persistence: PersistenceExtension): DocEditor {
	return {
		async edit(name, userId, change) {
			const context: DirectContext = { directUserId: userId };
			const connection = await hocuspocus.openDirectConnection(name, context);
			try {
				const live = connection.document!;
				const copy = new Y.Doc();
				Y.applyUpdate(copy, Y.encodeStateAsUpdate(live));
				const updates: Uint8Array[] = [];
				copy.on('update', (u: Uint8Array) => updates.push(u));
				copy.transact(() => change(copy));
				copy.destroy();
				if (updates.length === 0) return;
				const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
				try {
					await persistence.logServerEdit(name, userId, update);
				} catch (error) {
					throw new EditNotSaved(name, isStorageBusy(error), error);
				}
				context.loggedBeforeApply = true;
				await connection.transact((doc) => Y.applyUpdate(doc, update));
			} finally {
				await connection.disconnect();
			}
		}
	};
}
