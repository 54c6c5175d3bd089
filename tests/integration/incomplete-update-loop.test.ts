/**
 * An update whose clocks leave a gap is refused on a guarded document by closing the socket:
 * the provider reconnects and its handshake sends a complete diff (RulesExtension). A hostile
 * client can loop that (gapped update, closed, reconnect, again), each round costing the server
 * a re-admission and a rebuilt shadow copy. Past a small per-user burst its updates are refused
 * as `rate-limited` without a reconnect, and the refusals are logged at a bounded rate. An
 * honest tablet of another user, which sends one incomplete update now and then, recovers by
 * itself each time as before, in the same document at the same time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { INCOMPLETE_UPDATE_RATE } from '../../src/lib/domain/limits.ts';
import { addHousehold, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { authFrame, RawClient, updateFrame } from './hostile/wire.ts';

const DOC = 'grid:g1';
const LOOPS = 40;
let server: TestServer | undefined;

afterAll(async () => {
	await server?.stop();
});

/** An edit that depends on an earlier edit of the same client that the server never got. */
async function gappedUpdate(s: TestServer, token: string): Promise<Uint8Array> {
	const reader = connect(s.wsUrl, DOC, token);
	await waitAcknowledged(reader);
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc));
	reader.destroy();
	const [a, b] = listHouseholds(copy).map((h) => h.id);
	const updates: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => updates.push(u));
	updateHousehold(copy, a, { phone: '13600000001' });
	updateHousehold(copy, b, { phone: '13600000002' });
	return updates[1];
}

/** One honest incomplete update (as after a server that lost an edit): the tablet must recover by itself. */
async function honestIncompleteEdit(s: TestServer, tablet: Client, round: number): Promise<string> {
	const other = new Y.Doc();
	Y.applyUpdate(other, Y.encodeStateAsUpdate(tablet.doc));
	const missing: Uint8Array[] = [];
	other.on('update', (u: Uint8Array) => missing.push(u));
	const id = addHousehold(other, { address: `补登路 ${round} 号`, lng: 120.24, lat: 29.71, head: '钱', size: 2, phone: '', tags: [], colour: 'yellow' }, 'u-demo-gridworker');
	Y.applyUpdate(tablet.doc, missing[0], tablet.provider);
	const closes = tablet.closes.length;
	updateHousehold(tablet.doc, id, { phone: `1390000000${round}` });
	await waitFor(() => tablet.closes.length > closes, 'the server to refuse the incomplete update');
	await waitAcknowledged(tablet);
	void s;
	return id;
}

describe('incomplete updates in a loop', () => {
	it('are refused as rate-limited past a small burst, logged at a bounded rate; an honest tablet keeps recovering', async () => {
		let started = Date.now();
		server = await startServer({ env: { LOG_LEVEL: 'warn' } });
		const s = server;
		const hostileToken = await s.login('demo-admin');
		const gapped = await gappedUpdate(s, hostileToken);
		const honest = connect(s.wsUrl, DOC, await s.login('demo-gridworker'));
		try {
			await waitAcknowledged(honest);
			const added: string[] = [await honestIncompleteEdit(s, honest, 1)];

			const answers: string[] = [];
			started = Date.now();
			for (let i = 0; i < LOOPS; i++) {
				const raw = new RawClient(s.wsUrl);
				await raw.opened;
				raw.send(authFrame(DOC, hostileToken));
				await raw.answered(10_000);
				expect(raw.outcome.authenticated).toHaveLength(1);
				raw.send(updateFrame(DOC, gapped));
				await waitFor(() => raw.outcome.closed || raw.outcome.docClosed || raw.outcome.syncStatus.length > 0, 'an answer to the gapped update', 10_000);
				expect(raw.outcome.syncStatus).not.toContain(true);
				answers.push(raw.outcome.docClosed ? `document ${raw.outcome.docCloseReason}` : `socket ${raw.outcome.closeCode}`);
				raw.close();
				// the honest tablet's own incomplete update, now and then, in the middle of it
				if (i === 10) added.push(await honestIncompleteEdit(s, honest, 2));
			}
			// a few reconnects, then a refusal the client knows (it pauses, then syncs again)
			expect(answers.slice(0, INCOMPLETE_UPDATE_RATE.burst)).toEqual(Array(INCOMPLETE_UPDATE_RATE.burst).fill('socket 4000'));
			expect(answers.slice(INCOMPLETE_UPDATE_RATE.burst + 1)).toEqual(Array(LOOPS - INCOMPLETE_UPDATE_RATE.burst - 1).fill('document rate-limited'));

			added.push(await honestIncompleteEdit(s, honest, 3));
			expect(honest.closes.filter((r) => r !== 'incomplete-update')).toEqual([]);
			expect(honest.refusals).toEqual([]);
			const fresh = connect(s.wsUrl, DOC, await s.login('demo-gridworker'));
			try {
				await waitAcknowledged(fresh);
				for (const [i, id] of added.entries())
					await waitFor(() => readHousehold(fresh.doc, id)?.phone === `1390000000${i + 1}`, 'the honest tablet’s edits on the server');
			} finally {
				fresh.destroy();
			}
		} finally {
			honest.destroy();
		}
		const windows = Math.ceil((Date.now() - started) / 10_000) + 1;
		const lines = s.output().split('\n').filter((l) => l.includes('collab.ruleRefused') && l.includes('demo-admin'));
		expect(lines.some((l) => l.includes('rate-limited'))).toBe(true);
		// bounded: at most 20 refusal lines per 10 s window (log-limited.ts), whatever the loop sends
		expect(lines.length).toBeLessThanOrEqual(Math.min(20 * windows, LOOPS - 1));
	});
});
