/**
 * Server-side edits of live documents, as a user: the change goes through Hocuspocus (a
 * direct connection), so it is written to the update log attributed to that user and
 * broadcast to every connected client at once. Implemented in server/collab/doc-editor.ts.
 */
import type * as Y from 'yjs';

export interface DocEditor {
	/**
	 * Runs `change` in one transaction on the document `name`, attributed to `userId`. Resolves
	 * once the edit is in the update log; throws EditNotSaved (nothing applied) if the log
	 * refused it.
	 */
	edit(name: string, userId: string, change: (doc: Y.Doc) => void): Promise<void>;
}

/** A server-side edit the update log refused: not applied, not on any device. API: 503 `editNotSaved`. */
export class EditNotSaved extends Error {
	readonly doc: string;
	/** Another process holds the database's lock: worth trying again shortly. */
	readonly busy: boolean;
	constructor(doc: string, busy: boolean, cause: unknown) {
		super(`The change to ${doc} could not be saved${busy ? ': the database is busy' : ''}.`, { cause });
		this.name = 'EditNotSaved';
		this.doc = doc;
		this.busy = busy;
	}
}

/**
 * By name, not `instanceof`: the server's editor (server/collab) and the built routes each
 * hold their own copy of this module.
 */
export function isEditNotSaved(error: unknown): error is EditNotSaved {
	return error instanceof Error && error.name === 'EditNotSaved';
}
