/**
 * The rules of a deliberation session, judged on the server (src/lib/domain/session-rules.ts):
 * an update from a connection to a `session:` document that casts a vote or signs off in
 * someone else's name, opens or closes a vote or the meeting without being the chair, or writes
 * the frozen hash, is refused before it is applied: the connection is closed unacknowledged and
 * the stored document does not change (as for corrupt updates, UpdateValidationExtension).
 *
 * Cost: the common update — typing into the minutes — only inserts into sequences and deletes
 * nothing; it cannot change a map key, so it is let through after decoding alone. Any other
 * update is applied to a scratch copy of the document, and the readers of the copy are compared
 * with those of the live document. Session documents are small (one meeting).
 */
import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { sessionChangeViolations } from '../../src/lib/domain/session-rules.ts';
import { log } from '../log.ts';
import type { CollabContext } from './context.ts';
import { decodeUpdateOnce } from './decoded-update.ts';

const SYNC_STEP_2 = 1;
const UPDATE = 2;

/** Whether `update` only inserts into sequences (text, XML, arrays) outside the guarded roots. */
export function onlySequenceInserts(update: Uint8Array): boolean {
	const { structs, ds } = decodeUpdateOnce(update);
	if (ds.clients.size > 0) return false;
	for (const s of structs) {
		if (!(s instanceof Y.Item)) continue;
		// a new map key always carries its key; an overwrite always deletes the old value
		if (s.parentSub !== null) return false;
		// decoded items name a root parent by its string key (Yjs types it as a type or an ID)
		const parent: unknown = s.parent;
		if (typeof parent === 'string' && !parent.startsWith('minutes:')) return false;
	}
	return true;
}

export class SessionRulesExtension implements Extension {
	extensionName = 'SessionRulesExtension';
	refused = 0;
	fullChecks = 0;

	async beforeSync({ type, payload, connection, documentName, document, context }: beforeSyncPayload<CollabContext>): Promise<void> {
		if (type !== UPDATE && type !== SYNC_STEP_2) return;
		if (connection.readOnly) return;
		if (parseDocName(documentName)?.kind !== 'session') return;
		if (onlySequenceInserts(payload)) return;
		this.fullChecks++;
		const userId = context.user?.id ?? '';
		const after = new Y.Doc();
		Y.applyUpdate(after, Y.encodeStateAsUpdate(document));
		Y.applyUpdate(after, payload);
		const violations = sessionChangeViolations(document, after, userId);
		after.destroy();
		if (violations.length === 0) return;
		this.refused++;
		log('warn', 'collab.sessionRuleRefused', { doc: documentName, user: context.user?.username, violations: violations.join('; ') });
		throw { code: 4403, reason: 'session-rule' };
	}
}
