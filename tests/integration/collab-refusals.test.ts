/**
 * Hostile or unauthorised use of /collab is refused cleanly, logged, and never disturbs the
 * clients already working: missing or bad tokens, forged document names, documents outside a
 * role's reach, read-only roles' updates, oversized and corrupt messages.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeColour, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { updatesBy, withDb } from '../helpers/access.ts';
import { type Client, connect, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients({ env: { MAX_MESSAGE_BYTES: String(64 * 1024) } });
const open = f.open;
let writer: Client;
let watcher: Client;

/** The working pair still syncs: an edit by `writer` reaches `watcher`. */
let round = 0;
async function stillSyncing(): Promise<void> {
	const id = listHouseholds(writer.doc)[0].id;
	const phone = `1370000${String(++round).padStart(4, '0')}`;
	updateHousehold(writer.doc, id, { phone });
	await waitAcknowledged(writer);
	await waitFor(() => readHousehold(watcher.doc, id)?.phone === phone, 'the working clients to keep syncing');
}

function lastSeq(doc: string): number {
	return withDb(f.server, (db) => (db.prepare('SELECT MAX(seq) AS n FROM doc_updates WHERE doc = ?').get(doc) as { n: number }).n, {
		readOnly: true
	});
}

beforeAll(async () => {
	writer = connect(f.server.wsUrl, 'grid:g1', await f.server.login('demo-gridworker'));
	watcher = connect(f.server.wsUrl, 'grid:g1', await f.server.login('demo-admin'));
	await Promise.all([waitAcknowledged(writer), waitAcknowledged(watcher)]);
});
afterAll(() => {
	writer?.destroy();
	watcher?.destroy();
});

describe('admission', () => {
	it('refuses a connection without a token, or with a bad one', async () => {
		const none = open('grid:g1', null);
		const forged = open('grid:g1', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
		const junk = open('grid:g1', 'x'.repeat(5000));
		await waitFor(() => none.refusals.length > 0 && forged.refusals.length > 0 && junk.refusals.length > 0, 'refusals');
		expect(none.refusals[0]).toBe('missing-token');
		expect(forged.refusals[0]).toBe('invalid-token');
		expect(junk.refusals[0]).toBe('invalid-token');
		expect(listHouseholds(forged.doc)).toEqual([]);
		await f.server.waitForOutput(/collab\.refused reason=missing-token/);
		await stillSyncing();
	});

	it('refuses forged, unknown and out-of-reach document names', async () => {
		const token = await f.server.login('demo-gridworker');
		const cases: [string, string][] = [
			['grid:../../x', 'invalid-document-name'],
			['foo:bar', 'invalid-document-name'],
			['grid:g1:restricted', 'forbidden'], // a grid worker may not read restricted notes
			['grid:g2', 'forbidden'], // another grid
			['grid:g99', 'unknown-document'],
			['session:s1', 'unknown-document'],
			[`grid:${'g'.repeat(10 * 1024)}`, 'invalid-document-name']
		];
		const attempts = cases.map(([name]) => open(name, token));
		await waitFor(() => attempts.every((c) => c.refusals.length > 0), 'every refusal');
		attempts.forEach((c, i) => expect(c.refusals[0], cases[i][0].slice(0, 40)).toBe(cases[i][1]));
		await f.server.waitForOutput(/collab\.refused reason=invalid-document-name doc="grid:g{10}.*docLength=10245/);
		await stillSyncing();
	});

	it('admits restricted notes for the police deputy of the community', async () => {
		const c = open('grid:g1:restricted', await f.server.login('demo-police'));
		await waitAcknowledged(c);
		expect(c.refusals).toEqual([]);
	});
});

describe('read-only roles', () => {
	it("drops a read-only user's update: it reaches neither the store nor other clients", async () => {
		const police = open('grid:g1', await f.server.login('demo-police'));
		await waitAcknowledged(police);
		expect(police.provider.authorizedScope).toBe('readonly');
		const statuses: boolean[] = [];
		police.provider.on('message', ({ message }: { message: { decoder: decoding.Decoder } }) => {
			const d = message.decoder;
			decoding.readVarString(d);
			if (decoding.readVarUint(d) === 8) statuses.push(decoding.readVarInt(d) === 1);
		});

		const id = listHouseholds(police.doc)[1].id;
		const before = readHousehold(watcher.doc, id)!.colour;
		changeColour(police.doc, id, before === 'red' ? 'green' : 'red', '越权修改', 'u-demo-police');
		await waitFor(() => statuses.includes(false), 'the server to refuse the update');
		await f.server.waitForOutput(/collab\.readOnlyWriteDropped doc=grid:g1 user=demo-police/);

		await stillSyncing();
		expect(readHousehold(watcher.doc, id)!.colour).toBe(before);
		expect(updatesBy(f.server, 'u-demo-police')).toBe(0);
	});
});

describe('upgrades', () => {
	it('refuses WebSocket upgrades on any path but /collab, with a log line', async () => {
		const ws = new WebSocket(f.server.wsUrl.replace('/collab', '/elsewhere'));
		const outcome = await new Promise<string>((resolve) => {
			ws.onopen = () => resolve('open');
			ws.onerror = () => resolve('refused');
		});
		expect(outcome).toBe('refused');
		await f.server.waitForOutput('http.upgradeRefused path=/elsewhere');
		await stillSyncing();
	});
});

describe('bad messages', () => {
	it('closes a socket that sends an oversized message, logs it, and keeps serving others', async () => {
		const ws = new WebSocket(f.server.wsUrl);
		await new Promise((resolve, reject) => {
			ws.onopen = resolve;
			ws.onerror = reject;
		});
		const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
		ws.send(new Uint8Array(100 * 1024));
		expect(await closed).toBe(1009);
		await f.server.waitForOutput(/collab\.messageTooLarge .*maxPayload=65536/);
		await stillSyncing();
	});

	it('closes the connection of a client that sends a corrupt update, logs it, and keeps serving others', async () => {
		const bad = open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(bad);
		const e = encoding.createEncoder();
		encoding.writeVarString(e, 'grid:g1');
		encoding.writeVarUint(e, 0); // Sync
		encoding.writeVarUint(e, 2); // Update
		encoding.writeVarUint8Array(e, Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256));
		const seqBefore = lastSeq('grid:g1');
		bad.socket.send(encoding.toUint8Array(e));
		await f.server.waitForOutput(/collab\.corruptUpdate doc=grid:g1 user=demo-gridworker bytes=64/);
		await f.server.waitForOutput(/collab\.close doc=grid:g1 user=demo-gridworker/);
		expect(lastSeq('grid:g1')).toBe(seqBefore);
		await stillSyncing();
	});
});
