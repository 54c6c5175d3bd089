/**
 * An update that arrives before one it depends on (a reconnecting tablet flushes the edits it
 * queued offline before its handshake reply, and the server lost an earlier edit in a crash):
 * Yjs keeps it aside as pending, emits no 'update' event, so nothing reaches the log; yet
 * Hocuspocus acknowledges it. Found by the fault test (a long run with a locked database, where
 * the handshake reply that would have integrated it could not be logged). Whatever the server
 * acknowledges must survive a kill.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { authFrame, RawClient, updateFrame } from './hostile/wire.ts';

const DOC = 'grid:g1';
let server: TestServer | undefined;

afterAll(async () => {
	await server?.stop();
});

/** A raw client that authenticates, sends `update` and waits for the server's answer to it. */
async function sendUpdate(url: string, token: string, update: Uint8Array): Promise<RawClient> {
	const raw = new RawClient(url);
	await raw.opened;
	raw.send(authFrame(DOC, token));
	await raw.answered(10_000);
	expect(raw.outcome.authenticated.length).toBe(1);
	raw.send(updateFrame(DOC, update));
	await waitFor(() => raw.outcome.syncStatus.length > 0 || raw.outcome.closed || raw.outcome.docClosed, 'an answer to the update', 10_000);
	return raw;
}

describe('an update whose dependency has not arrived', () => {
	it('is stored before it is acknowledged, so a kill does not lose it', async () => {
		server = await startServer({ env: { LOG_LEVEL: 'error' } });
		const s = server;
		const token = await s.login('demo-gridworker');

		// The tablet's copy of the grid, and two edits on it: e2 depends on e1 (same client, next clock).
		const reader = connect(s.wsUrl, DOC, token);
		await waitAcknowledged(reader);
		const tablet = new Y.Doc();
		Y.applyUpdate(tablet, Y.encodeStateAsUpdate(reader.doc));
		reader.destroy();
		const [a, b] = listHouseholds(tablet).map((h) => h.id);
		const updates: Uint8Array[] = [];
		tablet.on('update', (u: Uint8Array) => updates.push(u));
		updateHousehold(tablet, a, { phone: '13700000001' });
		updateHousehold(tablet, b, { phone: '13700000002' });
		const [e1, e2] = updates;

		// e2 arrives alone: either refused, or acknowledged and then kept through a kill.
		const raw = await sendUpdate(s.wsUrl, token, e2);
		const acknowledged = raw.outcome.syncStatus.includes(true);
		raw.close();
		await s.kill('SIGKILL');
		await s.restart();

		// e1 arrives after the restart (the tablet's next handshake would carry it).
		(await sendUpdate(s.wsUrl, token, e1)).close();
		const fresh = connect(s.wsUrl, DOC, token);
		try {
			await waitAcknowledged(fresh);
			await waitFor(() => readHousehold(fresh.doc, a)?.phone === '13700000001', 'e1 on the server');
			if (acknowledged) expect(readHousehold(fresh.doc, b)?.phone, 'e2 was acknowledged, then lost in the kill').toBe('13700000002');
		} finally {
			fresh.destroy();
		}
	});

	it('refused on a guarded document, an honest tablet recovers by itself: it reconnects and its handshake sends it all', async () => {
		server ??= await startServer({ env: { LOG_LEVEL: 'warn' } });
		const s = server;
		const token = await s.login('demo-gridworker');
		const tablet = connect(s.wsUrl, DOC, token);
		try {
			await waitAcknowledged(tablet);
			// A household this tablet holds but never sent (as after a server that lost it): applied
			// with the provider as origin, so the provider does not send it on its own.
			const other = new Y.Doc();
			Y.applyUpdate(other, Y.encodeStateAsUpdate(tablet.doc));
			const missing: Uint8Array[] = [];
			other.on('update', (u: Uint8Array) => missing.push(u));
			const id = addHousehold(other, { address: '补登路 1 号', lng: 120.24, lat: 29.71, head: '钱', size: 2, phone: '', tags: [], colour: 'yellow' }, 'u-demo-gridworker');
			Y.applyUpdate(tablet.doc, missing[0], tablet.provider);
			// an edit on that household: it depends on structs the server does not hold
			updateHousehold(tablet.doc, id, { phone: '13900000000' });
			await waitFor(() => tablet.closes.includes('incomplete-update'), 'the server to refuse the incomplete update');
			// no help from the test: the provider reconnects and syncs
			await waitAcknowledged(tablet);
			expect(tablet.refusals).toEqual([]);
			expect(tablet.closes.filter((r) => r !== 'incomplete-update')).toEqual([]);
			const fresh = connect(s.wsUrl, DOC, token);
			try {
				await waitAcknowledged(fresh);
				await waitFor(() => readHousehold(fresh.doc, id)?.phone === '13900000000', 'the household and its edit on the server');
			} finally {
				fresh.destroy();
			}
		} finally {
			tablet.destroy();
		}
	});
});
