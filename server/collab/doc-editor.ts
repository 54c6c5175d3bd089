/**
 * The DocEditor (src/lib/server/doc-editor.ts) on Hocuspocus: a direct connection opens the
 * document (loading it from the store if no client has it open), the change runs in one
 * transaction whose origin carries the user (context.ts `userIdOf`), and the connection is
 * closed again, which unloads the document when nobody else has it open.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import type { DocEditor } from '../../src/lib/server/doc-editor.ts';
import type { DirectContext } from './context.ts';

export function createDocEditor(hocuspocus: Hocuspocus): DocEditor {
	return {
		async edit(name, userId, change) {
			const context: DirectContext = { directUserId: userId };
			const connection = await hocuspocus.openDirectConnection(name, context);
			try {
				await connection.transact((doc) => change(doc));
			} finally {
				await connection.disconnect();
			}
		}
	};
}
