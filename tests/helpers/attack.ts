/**
 * Attacks on the rules through the real server: a raw Hocuspocus client that sends hand-built
 * Yjs updates past the client's named mutations, what became of them, and the refusal lines
 * in the server log.
 */
import * as Y from 'yjs';
import { RawClient, authFrame, updateFrame } from '../integration/hostile/wire.ts';
import { connect, waitAcknowledged, waitFor } from './collab.ts';
import type { TestServer } from './server.ts';
import { updatesOf } from './updates.ts';

export interface Attacker {
	raw: RawClient;
	/** The document as the attacker received it (to build updates on). */
	base: Y.Doc;
	/** Sends `update`; resolves 'acknowledged' or 'refused' (document or socket closed, no ack). */
	send(update: Uint8Array): Promise<'acknowledged' | 'refused'>;
	/** The update(s) `change` makes to a copy of the document, merged into one. */
	build(change: (copy: Y.Doc) => void): Uint8Array;
	close(): void;
}

/** The document `name` as `token`'s user sees it, through a real provider. */
export async function snapshotOf(server: TestServer, name: string, token: string): Promise<Y.Doc> {
	const c = connect(server.wsUrl, name, token);
	try {
		await waitAcknowledged(c);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(c.doc));
		return copy;
	} finally {
		c.destroy();
	}
}

export async function attacker(server: TestServer, name: string, token: string): Promise<Attacker> {
	const base = await snapshotOf(server, name, token);
	const raw = new RawClient(server.wsUrl);
	await raw.opened;
	raw.send(authFrame(name, token));
	await raw.answered(10_000);
	if (raw.outcome.authenticated.length !== 1) throw new Error(`attacker not admitted to ${name}: ${raw.outcome.denied.join(', ')}`);
	return {
		raw,
		base,
		async send(update) {
			const acks = raw.outcome.syncStatus.length;
			raw.send(updateFrame(name, update));
			await waitFor(() => raw.outcome.syncStatus.length > acks || raw.outcome.docClosed || raw.outcome.closed, 'an answer to the update');
			return raw.outcome.syncStatus.slice(acks).includes(true) ? 'acknowledged' : 'refused';
		},
		build(change) {
			const updates = updatesOf(base, change);
			return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
		},
		close() {
			raw.close();
		}
	};
}

/**
 * Whether the server logged a refusal of `username`'s update containing `text` (matched on
 * the line's content, whether the log is `key=value` or JSON).
 */
export function refusalLogged(server: TestServer, username: string, text: string): boolean {
	return server
		.output()
		.split('\n')
		.some((line) => line.includes('collab.ruleRefused') && line.includes(username) && line.includes(text));
}
