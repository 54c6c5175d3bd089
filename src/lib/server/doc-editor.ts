/**
 * Server-side edits of live documents, as a user: the change goes through Hocuspocus (a
 * direct connection), so it is written to the update log attributed to that user and
 * broadcast to every connected client at once. Implemented in server/collab/doc-editor.ts.
 */
import type * as Y from 'yjs';

export interface DocEditor {
	/** Runs `change` in one transaction on the document `name`, attributed to `userId`. */
	edit(name: string, userId: string, change: (doc: Y.Doc) => void): Promise<void>;
}
