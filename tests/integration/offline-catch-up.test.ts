/**
 * Catch-up after a day offline: a tablet (one socket for all its documents, as the app) makes
 * thousands of edits with no network, each its own transaction, then reconnects.
 *
 * Hocuspocus's socket used to queue one message per edit while not open and send the whole
 * queue as soon as the server answered anything on the new connection: the server applied,
 * logged (a row of the update log each) and acknowledged every edit on its own, and the
 * provider's unsynced count reached 0 with the first of those acknowledgements, long before the
 * rest were logged. When the first answer was one document's authentication and another
 * document had not authenticated yet (its token read answered later), that document's queued
 * edits arrived before its authentication, more than the server keeps for an unauthenticated
 * document (1,000): the server reset the connection (4205). With the app's socket behaviour
 * (src/lib/client/offline-queue.ts) each document's reconnect handshake carries its offline
 * edits as one merged update, acknowledged once.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keepUpdatesOutOfQueue } from '../../src/lib/client/offline-queue.ts';
import { listHouseholds, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { withDb } from '../helpers/access.ts';
import { gridJson, useServerAndClients, waitFor } from '../helpers/collab.ts';
import type { TestServer } from '../helpers/server.ts';

/** Offline edits per document: a grid with a peer online, and one nobody else has open. */
const EDITS: Record<string, number> = { 'grid:g1': 3_000, 'grid:g2': 1_500 };
const DOCS = Object.keys(EDITS);
const f = useServerAndClients({ env: { LOG_LEVEL: 'error' } });
const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const c of cleanups.splice(0)) c();
});

function logRows(server: TestServer, doc: string): number {
	return withDb(server, (db) => Number((db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(doc) as { n: number }).n), {
		readOnly: true
	});
}

/** How far the update log of `doc` (latest snapshot + the updates after it) reaches for `client`. */
function loggedClock(server: TestServer, doc: string, client: number): number {
	return withDb(
		server,
		(db) => {
			const snapshot = db.prepare('SELECT seq, state FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(doc) as
				| { seq: number; state: Uint8Array }
				| undefined;
			const tail = db.prepare('SELECT update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq').all(doc, snapshot?.seq ?? 0) as {
				update_bytes: Uint8Array;
			}[];
			const parts = [...(snapshot ? [snapshot.state] : []), ...tail.map((r) => r.update_bytes)];
			if (parts.length === 0) return 0;
			return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(parts))).get(client) ?? 0;
		},
		{ readOnly: true }
	);
}

const acknowledged = (p: HocuspocusProvider) => p.isSynced && p.unsyncedChanges === 0;

/**
 * The tablet: one socket with the app's behaviour, a provider per document. Each document after
 * the first gets its token only once the first is authenticated on the current connection (the
 * app reads the token from IndexedDB per document: one read can answer later than another).
 */
function tablet(server: TestServer, token: string) {
	const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl, maxAttempts: 0, delay: 100, minDelay: 100, maxDelay: 1000 });
	keepUpdatesOutOfQueue(socket); // as the app's shared socket (connection.ts)
	const providers: HocuspocusProvider[] = [];
	for (const name of DOCS) {
		const first = providers[0];
		const provider = new HocuspocusProvider({
			websocketProvider: socket,
			name,
			document: new Y.Doc(),
			token: async () => {
				if (first) await waitFor(() => first.isAuthenticated, `${first.configuration.name} to be authenticated`);
				return token;
			}
		});
		provider.attach();
		providers.push(provider);
	}
	cleanups.push(() => {
		for (const p of providers) p.destroy();
		socket.destroy();
	});
	return { socket, providers };
}

describe('catch-up after thousands of offline edits', () => {
	it('each document sends its offline edits as one update on reconnect: no reset, a handful of log rows, acknowledged only once logged', async () => {
		const peer = f.open('grid:g1', await f.server.login('demo-gridworker'));
		const t = tablet(f.server, await f.server.login('demo-committee'));
		await waitFor(() => acknowledged(peer.provider) && t.providers.every(acknowledged), 'everyone synced');

		t.socket.disconnect();
		await waitFor(() => t.socket.status === 'disconnected', 'the tablet to go offline');
		const targets = new Map<string, { client: number; clock: number; rowsBefore: number }>();
		for (const p of t.providers) {
			const name = p.configuration.name;
			const ids = listHouseholds(p.document).map((h) => h.id);
			for (let i = 0; i < EDITS[name]; i++) updateHousehold(p.document, ids[i % ids.length], i % 2 ? { size: (i % 9) + 1 } : { head: `离线${i}` });
			targets.set(name, { client: p.document.clientID, clock: Y.getState(p.document.store, p.document.clientID), rowsBefore: logRows(f.server, name) });
		}
		const outputBefore = f.server.output().length;

		// The moment each provider first counts nothing unacknowledged: what does the log hold?
		const loggedAtZero = new Map<string, number>();
		for (const p of t.providers) {
			const name = p.configuration.name;
			p.on('unsyncedChanges', ({ number }: { number: number }) => {
				if (number === 0 && !loggedAtZero.has(name)) loggedAtZero.set(name, loggedClock(f.server, name, targets.get(name)!.client));
			});
		}
		const closeCodes: number[] = [];
		t.socket.on('close', ({ event }: { event?: { code?: number } }) => closeCodes.push(event?.code ?? 0));
		let connects = 0;
		t.socket.on('connect', () => connects++);

		t.socket.connect();
		// every edit logged and acknowledged (after any reset, on the connection that followed)
		await waitFor(
			() => [...targets].every(([name, { client, clock }]) => loggedClock(f.server, name, client) >= clock) && t.providers.every(acknowledged),
			'the server to log and acknowledge every offline edit',
			30_000
		);
		const g1 = t.providers[0];
		await waitFor(() => gridJson(peer.doc) === gridJson(g1.document), 'the online peer to hold every offline edit of grid:g1', 30_000);

		expect.soft(closeCodes, 'closes of the reconnected socket (4205: reset, too many messages before authentication)').toEqual([]);
		expect.soft(connects, 'connections of the tablet after going offline').toBe(1);
		expect.soft(f.server.output().slice(outputBefore)).not.toMatch(/unauthenticated message queue/);
		for (const [name, { clock, rowsBefore }] of targets) {
			expect.soft(loggedAtZero.get(name), `${name}: offline edits in the log when the provider first counted 0 unsynced changes`).toBe(clock);
			expect.soft(logRows(f.server, name) - rowsBefore, `${name}: rows the catch-up added to the update log`).toBeLessThanOrEqual(3);
		}

		// What was acknowledged is stored: it survives a kill.
		const expected = new Map(t.providers.map((p) => [p.configuration.name, gridJson(p.document)]));
		for (const c of cleanups.splice(0)) c();
		f.destroyClients();
		await f.server.kill('SIGKILL');
		await f.server.restart();
		const token = await f.server.login('demo-committee');
		for (const name of DOCS) {
			const fresh = f.open(name, token);
			await waitFor(() => acknowledged(fresh.provider), `${name} reloaded from the store`);
			expect(gridJson(fresh.doc), `${name} after a kill and restart`).toBe(expected.get(name));
		}
	});
});
