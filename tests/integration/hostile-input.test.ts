/**
 * Hostile input (issue 6): a table of inputs that a broken or malicious client could send —
 * bad HTTP bodies, injection strings, forged and traversal document names, random bytes and
 * broken frames on the WebSocket, corrupt Yjs updates after a valid login, oversized messages,
 * a connection flood. For each one: a clear refusal (HTTP 4xx with a JSON error, or the socket
 * closed / authentication refused / the update dropped), and afterwards the server is still up,
 * two real providers on another grid still sync an edit, and the stored data (accounts,
 * jurisdiction, every other document's content) is exactly as before. An input counts as
 * refused only when its run returned a Refused, which it does only after checking the refusal.
 * Sizes, rates, presence and sockets before login (issue 12): hostile-quotas.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { connect, waitAcknowledged, waitFor, type Client } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { authFrame, frame, MessageType, RawClient, rawUpgrade, storedState, syncStep1Frame, updateFrame, wsFrame } from './hostile/wire.ts';

const MAX_MESSAGE_BYTES = 65_536;
const WATCHED = 'grid:g1';

let server: TestServer;
let tokens: Record<'gridworker' | 'admin' | 'police', string>;
let watcherA: Client;
let watcherB: Client;
let householdId: string;
let storedBefore: string;
let checks = 0;
const tally = { tried: 0, refused: 0, crashes: 0 };

/**
 * What an input's run returns once its own check of the refusal passed: only these are
 * counted as refused (issue 14), so a run that checks nothing cannot be counted.
 */
class Refused {
	readonly how: string;
	constructor(how: string) {
		this.how = how;
	}
}
const refused = (how: string) => new Refused(how);

beforeAll(async () => {
	server = await startServer({ env: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), LOG_LEVEL: 'error' } });
	tokens = {
		gridworker: await server.login('demo-gridworker'),
		admin: await server.login('demo-admin'),
		police: await server.login('demo-police')
	};
	watcherA = connect(server.wsUrl, WATCHED, tokens.gridworker);
	watcherB = connect(server.wsUrl, WATCHED, tokens.gridworker);
	await waitFor(() => watcherA.provider.isSynced && watcherB.provider.isSynced, 'watchers synced');
	householdId = listHouseholds(watcherA.doc)[0].id;
	storedBefore = storedState(server.dataDir, [WATCHED]);
});

afterAll(async () => {
	watcherA?.destroy();
	watcherB?.destroy();
	await server?.stop();
});

/** The server is up, the watchers still sync an edit both ways, nothing else stored changed. */
async function stillServing(): Promise<void> {
	const res = await fetch(`${server.url}/api/session`);
	expect(res.status).toBe(401);
	const value = `check ${++checks}`;
	const [from, to] = checks % 2 ? [watcherA, watcherB] : [watcherB, watcherA];
	updateHousehold(from.doc, householdId, { head: value });
	await waitFor(() => readHousehold(to.doc, householdId)?.head === value, `the other watcher to see "${value}"`, 10_000);
	await waitAcknowledged(from);
	expect(storedState(server.dataDir, [WATCHED])).toBe(storedBefore);
}

// ---- HTTP ----

interface HttpAnswer {
	status: number;
	json: { error?: unknown; message?: unknown } | null;
	text: string;
}

async function request(path: string, init: RequestInit): Promise<HttpAnswer> {
	const res = await fetch(`${server.url}${path}`, init);
	const text = await res.text();
	let json: HttpAnswer['json'] = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	return { status: res.status, json, text };
}

const login = (body: BodyInit, contentType = 'application/json') =>
	request('/api/session', { method: 'POST', headers: { 'content-type': contentType }, body });

/** A 4xx answer with a JSON `{ error }` body, and no token or hash given away. */
function jsonRefusal(a: HttpAnswer, statuses: number[]): Refused {
	expect(statuses, `status ${a.status}: ${a.text.slice(0, 200)}`).toContain(a.status);
	expect(typeof a.json?.error, `JSON error body, got: ${a.text.slice(0, 200)}`).toBe('string');
	expect(a.text).not.toMatch(/"token"|argon2|password_hash|<script>/i);
	return refused(`${a.status} ${String(a.json?.error)}`);
}

/** A failed login answers 401; once the per-account/address limit is reached, 429. Both are refusals. */
const LOGIN_REFUSED = [401, 429];

const credentials = (username: unknown, password: unknown = 'tongxin-demo') => JSON.stringify({ username, password });

// ---- WebSocket ----

/** Opens a raw client, runs `act`, and waits for the server's answer. */
async function raw(act: (c: RawClient) => void | Promise<void>, wait: 'close' | 'answer' = 'close'): Promise<RawClient> {
	const c = new RawClient(server.wsUrl);
	await c.opened;
	await act(c);
	if (wait === 'close') await c.closedWithin(5000);
	else await c.answered(5000);
	return c;
}

function closed(c: RawClient): Refused {
	expect(c.outcome.closed, 'socket closed by the server').toBe(true);
	expect(c.outcome.authenticated).toEqual([]);
	return refused(`socket closed (${c.outcome.closeCode})`);
}

function denied(c: RawClient, reason?: string): Refused {
	expect(c.outcome.authenticated, 'not authenticated').toEqual([]);
	expect(c.outcome.denied.length > 0 || c.outcome.closed, 'authentication refused or socket closed').toBe(true);
	if (reason && c.outcome.denied.length > 0) expect(c.outcome.denied[0]).toBe(reason);
	return refused(c.outcome.denied.length > 0 ? `auth refused: ${c.outcome.denied[0]}` : `socket closed (${c.outcome.closeCode})`);
}

/** A raw client authenticated on `doc` with `token`, ready to send frames after it. */
async function authed(doc: string, token: string): Promise<RawClient> {
	const c = await raw((c) => c.send(authFrame(doc, token)), 'answer');
	expect(c.outcome.authenticated.length, `authenticated on ${doc}: ${JSON.stringify(c.outcome)}`).toBe(1);
	c.send(syncStep1Frame(doc));
	await new Promise((r) => setTimeout(r, 100));
	return c;
}

/**
 * After a valid login on `doc`, sends `update` as a sync update. Refused means: the socket or the
 * document was closed, or the update was dropped; storedState (checked after every input)
 * proves nothing of it reached the log.
 */
async function corruptUpdate(doc: string, token: string, update: Uint8Array): Promise<Refused> {
	const c = await authed(doc, token);
	c.send(updateFrame(doc, update));
	expect(await c.docClosedWithin(5000), 'the document or the socket closed').toBe(true);
	c.close();
	// A corrupt update must never be acknowledged as applied (the device would drop its retry).
	expect(c.outcome.syncStatus, 'no acknowledgement of a corrupt update').not.toContain(true);
	return refused(describeOutcome(c));
}

function describeOutcome(c: RawClient): string {
	if (c.outcome.closed) return `socket closed (${c.outcome.closeCode})`;
	if (c.outcome.docClosed) return 'document closed on the socket';
	const acks = c.outcome.syncStatus;
	return `update dropped (document unchanged${acks.length ? `; server answered sync status ${acks.join(',')}` : ''})`;
}

/** A real, well-formed update from a doc that edits every household of `doc`'s copy. */
async function validUpdateFor(doc: string, token: string): Promise<Uint8Array> {
	const reader = connect(server.wsUrl, doc, token);
	await waitFor(() => reader.provider.isSynced, `${doc} synced`);
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc));
	reader.destroy();
	const before = Y.encodeStateVector(copy);
	for (const h of listHouseholds(copy)) updateHousehold(copy, h.id, { head: '篡改' });
	return Y.encodeStateAsUpdate(copy, before);
}

const seeded = (n: number, seed: number) => {
	let x = seed;
	return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
};

interface HostileInput {
	name: string;
	run: () => Promise<Refused>;
}

const inputs: HostileInput[] = [
	// -- POST /api/session: malformed and oversized bodies --
	{ name: 'login: empty body', run: async () => jsonRefusal(await login(''), [400]) },
	{ name: 'login: truncated JSON', run: async () => jsonRefusal(await login('{"username":"demo-admin","pass'), [400]) },
	{ name: 'login: JSON null', run: async () => jsonRefusal(await login('null'), [400]) },
	{ name: 'login: JSON array', run: async () => jsonRefusal(await login('["demo-admin","tongxin-demo"]'), [400]) },
	{ name: 'login: JSON string', run: async () => jsonRefusal(await login('"demo-admin"'), [400]) },
	{ name: 'login: missing password', run: async () => jsonRefusal(await login('{"username":"demo-admin"}'), [400]) },
	{ name: 'login: username is a number', run: async () => jsonRefusal(await login(credentials(42)), [400]) },
	{ name: 'login: password is an object', run: async () => jsonRefusal(await login(credentials('demo-admin', { $ne: null })), [400]) },
	{ name: 'login: username is an array', run: async () => jsonRefusal(await login(credentials(['demo-admin'])), [400]) },
	{ name: 'login: 10 KB username', run: async () => jsonRefusal(await login(credentials('a'.repeat(10_240))), [400]) },
	{ name: 'login: 100 KB password', run: async () => jsonRefusal(await login(credentials('demo-admin', 'p'.repeat(100_000))), [400]) },
	{ name: 'login: deeply nested JSON (10,000 levels)', run: async () => jsonRefusal(await login('['.repeat(10_000) + ']'.repeat(10_000)), [400]) },
	{
		name: 'login: 2 MB body',
		run: async () => {
			const a = await login(credentials('demo-admin', 'x'.repeat(2 * 1024 * 1024)));
			return jsonRefusal(a, [413]);
		}
	},
	{ name: 'login: invalid UTF-8 body', run: async () => jsonRefusal(await login(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0xed, 0xa0, 0x80, 0x7d])), [400]) },
	{
		name: 'login: invalid UTF-8 inside the username',
		run: async () =>
			jsonRefusal(await login(Buffer.concat([Buffer.from('{"username":"demo-'), Buffer.from([0xc0, 0xaf, 0xff]), Buffer.from('admin","password":"tongxin-demo"}')])), [400, ...LOGIN_REFUSED])
	},
	{
		name: 'login: form-encoded body',
		run: async () => {
			const a = await login('username=demo-admin&password=tongxin-demo', 'application/x-www-form-urlencoded');
			expect(a.status).toBeGreaterThanOrEqual(400);
			expect(a.status).toBeLessThan(500);
			expect(a.text).not.toMatch(/"token"/);
			return refused(`${a.status} ${a.json ? String(a.json.error) : `(not JSON: ${a.text.slice(0, 40)})`}`);
		}
	},
	// -- injection strings in username and password --
	{ name: "login: SQL injection username ' OR '1'='1", run: async () => jsonRefusal(await login(credentials("' OR '1'='1")), LOGIN_REFUSED) },
	{ name: 'login: SQL injection username admin\'--', run: async () => jsonRefusal(await login(credentials("demo-admin'--")), LOGIN_REFUSED) },
	{ name: 'login: SQL injection username with DROP TABLE', run: async () => jsonRefusal(await login(credentials("x'; DROP TABLE users; --")), LOGIN_REFUSED) },
	{ name: "login: SQL injection password ' OR '1'='1", run: async () => jsonRefusal(await login(credentials('demo-admin', "' OR '1'='1")), LOGIN_REFUSED) },
	{ name: 'login: script in username', run: async () => jsonRefusal(await login(credentials('<script>alert(1)</script>')), LOGIN_REFUSED) },
	{ name: 'login: zero-width space in username', run: async () => jsonRefusal(await login(credentials('demo\u200b-admin')), LOGIN_REFUSED) },
	{ name: 'login: full-width lookalike username', run: async () => jsonRefusal(await login(credentials('ｄｅｍｏ-admin')), LOGIN_REFUSED) },
	{ name: 'login: NUL byte in username', run: async () => jsonRefusal(await login(credentials('demo-admin\u0000')), LOGIN_REFUSED) },
	{ name: 'login: right-to-left override in password', run: async () => jsonRefusal(await login(credentials('demo-admin', 'tongxin-\u202edemo')), LOGIN_REFUSED) },
	{
		name: 'login: __proto__ in the body',
		run: async () => jsonRefusal(await login('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"username":"nobody","password":"x"}'), LOGIN_REFUSED)
	},
	{
		name: 'GET /api/grids with an injected bearer token',
		run: async () => jsonRefusal(await request('/api/grids', { headers: { authorization: "Bearer ' OR 1=1 --" } }), [401])
	},
	{
		name: 'GET /api/session with a forged 32-character token in the cookie',
		run: async () => jsonRefusal(await request('/api/session', { headers: { cookie: `tongxin_session=${'a'.repeat(32)}` } }), [401])
	},
	// -- the WebSocket: bytes that are not our protocol --
	{ name: 'ws: 1 KB of random bytes', run: async () => closed(await raw((c) => c.send(seeded(1024, 1)))) },
	{ name: 'ws: 64 KB of random bytes', run: async () => closed(await raw((c) => c.send(seeded(60_000, 2)))) },
	{ name: 'ws: empty binary message', run: async () => closed(await raw((c) => c.send(new Uint8Array(0)))) },
	{ name: 'ws: a text message', run: async () => closed(await raw((c) => c.send('hello, is this the admin panel?'))) },
	{ name: 'ws: truncated auth message', run: async () => closed(await raw((c) => c.send(authFrame('grid:g1', tokens.gridworker).slice(0, 12)))) },
	{
		name: 'ws: document name length claiming 4 GB',
		run: async () => closed(await raw((c) => c.send(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x67, 0x72]))))
	},
	// -- forged and traversal document names --
	{ name: 'ws: document grid:../x', run: async () => denied(await raw((c) => c.send(authFrame('grid:../x', tokens.admin)), 'answer'), 'invalid-document-name') },
	{ name: 'ws: document ../../data/tongxin.sqlite', run: async () => denied(await raw((c) => c.send(authFrame('../../data/tongxin.sqlite', tokens.admin)), 'answer'), 'invalid-document-name') },
	{ name: 'ws: document grid:a:b:c', run: async () => denied(await raw((c) => c.send(authFrame('grid:a:b:c', tokens.admin)), 'answer'), 'invalid-document-name') },
	{ name: 'ws: document __proto__', run: async () => denied(await raw((c) => c.send(authFrame('__proto__', tokens.admin)), 'answer')) },
	{ name: 'ws: document constructor', run: async () => denied(await raw((c) => c.send(authFrame('constructor', tokens.admin)), 'answer')) },
	{ name: 'ws: document grid:__proto__', run: async () => denied(await raw((c) => c.send(authFrame('grid:__proto__', tokens.admin)), 'answer'), 'invalid-document-name') },
	{ name: 'ws: 10 KB document name', run: async () => denied(await raw((c) => c.send(authFrame('grid:' + 'g'.repeat(10_240), tokens.admin)), 'answer')) },
	{ name: "ws: document name with SQL injection", run: async () => denied(await raw((c) => c.send(authFrame("grid:g1' OR '1'='1", tokens.admin)), 'answer'), 'invalid-document-name') },
	{ name: 'ws: unknown grid grid:g999', run: async () => denied(await raw((c) => c.send(authFrame('grid:g999', tokens.admin)), 'answer'), 'unknown-document') },
	{ name: 'ws: NUL in the document name, no token', run: async () => denied(await raw((c) => c.send(authFrame('grid:g1\u0000x', '')), 'answer')) },
	{ name: "ws: another grid's document (gridWorker of g1 asks for g2)", run: async () => denied(await raw((c) => c.send(authFrame('grid:g2', tokens.gridworker)), 'answer'), 'forbidden') },
	{ name: 'ws: restricted notes asked by a gridWorker', run: async () => denied(await raw((c) => c.send(authFrame('grid:g1:restricted', tokens.gridworker)), 'answer'), 'forbidden') },
	// -- tokens --
	{ name: 'ws: empty token', run: async () => denied(await raw((c) => c.send(authFrame('grid:g1', '')), 'answer'), 'missing-token') },
	{ name: 'ws: forged token of the right shape', run: async () => denied(await raw((c) => c.send(authFrame('grid:g1', 'abcdefghijklmnopqrstuvwxyz234567')), 'answer'), 'invalid-token') },
	{ name: 'ws: token with SQL injection', run: async () => denied(await raw((c) => c.send(authFrame('grid:g1', "' OR 1=1 --")), 'answer'), 'invalid-token') },
	{ name: 'ws: 100 KB token (over the size limit)', run: async () => closed(await raw((c) => c.send(authFrame('grid:g1', 't'.repeat(100_000))))) },
	{
		name: 'ws: updates sent before authenticating, then a forged token',
		run: async () =>
			denied(
				await raw((c) => {
					c.send(updateFrame('grid:g2', seeded(200, 3)));
					c.send(authFrame('grid:g2', 'abcdefghijklmnopqrstuvwxyz234567'));
				}, 'answer')
			)
	},
	{
		name: 'ws: 500 documents opened without authenticating',
		run: async () =>
			closed(
				await raw((c) => {
					for (let i = 0; i < 500; i++) c.send(syncStep1Frame(`grid:g${1000 + i}`));
				})
			)
	},
	// -- well-framed but corrupt Yjs updates, after a valid login --
	{ name: 'ws: random bytes as a Yjs update (admin on grid:g3)', run: () => corruptUpdate('grid:g3', tokens.admin, seeded(300, 4)) },
	{ name: 'ws: a Yjs update cut in half', run: async () => { const u = await validUpdateFor('grid:g3', tokens.admin); return corruptUpdate('grid:g3', tokens.admin, u.slice(0, u.length >> 1)); } },
	{
		name: 'ws: a Yjs update claiming 2^31 structs',
		run: () => corruptUpdate('grid:g3', tokens.admin, Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x08, 0x01, 0x02, 0x03]))
	},
	{
		name: 'ws: a valid update with bytes flipped in the middle',
		run: async () => {
			const u = await validUpdateFor('grid:g3', tokens.admin);
			const bad = u.slice();
			for (let i = bad.length >> 2; i < bad.length >> 1; i += 3) bad[i] ^= 0xa5;
			return corruptUpdate('grid:g3', tokens.admin, bad);
		}
	},
	{
		name: 'ws: an unknown sync message type after login',
		run: async () => {
			const c = await authed('grid:g3', tokens.admin);
			c.send(frame('grid:g3', MessageType.Sync, (e) => encoding.writeVarUint(e, 99)));
			expect(await c.docClosedWithin(3000), 'document closed').toBe(true);
			c.close();
			return refused(describeOutcome(c));
		}
	},
	{
		name: 'ws: an edit from a read-only member (policeDeputy on grid:g2)',
		run: async () => {
			const u = await validUpdateFor('grid:g2', tokens.police);
			const c = await authed('grid:g2', tokens.police);
			c.send(updateFrame('grid:g2', u));
			await c.docClosedWithin(1500);
			c.close();
			// read-only: Hocuspocus answers "not applied" (false), never "applied"
			expect(c.outcome.syncStatus).toContain(false);
			expect(c.outcome.syncStatus).not.toContain(true);
			return refused(`${describeOutcome(c)} (read-only)`);
		}
	},
	// -- size limit and broken WebSocket framing --
	{ name: `ws: one message over the ${MAX_MESSAGE_BYTES}-byte limit`, run: async () => closed(await raw((c) => c.send(new Uint8Array(MAX_MESSAGE_BYTES + 1)))) },
	{
		name: 'tcp: frame header claiming 1 TB',
		run: async () => {
			const { socket, status, closed: shut } = await rawUpgrade(server.port);
			expect(status).toContain('101');
			socket.write(wsFrame(new Uint8Array(8), { claimedLength: 0xffffffff }));
			await Promise.race([shut, new Promise((r) => setTimeout(r, 3000))]);
			const wasClosed = socket.destroyed || socket.readableEnded;
			socket.destroy();
			expect(wasClosed).toBe(true);
			return refused('connection closed');
		}
	},
	{
		name: 'tcp: truncated frame, then the client goes silent and hangs up',
		run: async () => {
			const { socket, status, closed: shut } = await rawUpgrade(server.port);
			expect(status).toContain('101');
			let answered = false;
			socket.on('data', () => (answered = true));
			socket.write(wsFrame(authFrame('grid:g1', tokens.gridworker)).subarray(0, 9));
			await new Promise((r) => setTimeout(r, 300));
			// the half frame authenticates nothing: no answer came
			expect(answered, 'no answer to half a frame').toBe(false);
			socket.end();
			await Promise.race([shut, new Promise((r) => setTimeout(r, 3000))]);
			const wasClosed = socket.destroyed || socket.readableEnded;
			socket.destroy();
			expect(wasClosed, 'the server closed its side after the hang-up').toBe(true);
			return refused('half frame discarded, connection closed');
		}
	},
	{
		name: 'tcp: unmasked client frame (protocol violation)',
		run: async () => {
			const { socket, status, closed: shut } = await rawUpgrade(server.port);
			expect(status).toContain('101');
			socket.write(wsFrame(authFrame('grid:g1', tokens.gridworker), { masked: false }));
			await Promise.race([shut, new Promise((r) => setTimeout(r, 3000))]);
			const wasClosed = socket.destroyed || socket.readableEnded;
			socket.destroy();
			expect(wasClosed).toBe(true);
			return refused('connection closed');
		}
	},
	{
		name: 'tcp: reserved opcode 0x3',
		run: async () => {
			const { socket, status, closed: shut } = await rawUpgrade(server.port);
			expect(status).toContain('101');
			socket.write(wsFrame(seeded(16, 5), { opcode: 3 }));
			await Promise.race([shut, new Promise((r) => setTimeout(r, 3000))]);
			const wasClosed = socket.destroyed || socket.readableEnded;
			socket.destroy();
			expect(wasClosed).toBe(true);
			return refused('connection closed');
		}
	},
	{
		name: 'tcp: upgrade on a traversal path /collab/../etc',
		run: async () => {
			const { socket, status } = await rawUpgrade(server.port, '/collab/../../etc/passwd');
			socket.destroy();
			expect(status).toMatch(/ 4\d\d /);
			return refused(status);
		}
	},
	{
		name: 'tcp: upgrade with an unsupported WebSocket version',
		run: async () => {
			const { socket, status } = await rawUpgrade(server.port, '/collab', { 'Sec-WebSocket-Version': '99' });
			socket.destroy();
			expect(status).toMatch(/ 4\d\d /);
			return refused(status);
		}
	},
	// -- a flood from one address --
	{
		name: 'flood: 200 sockets from one address, each with a forged token',
		run: async () => {
			const clients = Array.from({ length: 200 }, () => new RawClient(server.wsUrl));
			const opened = await Promise.allSettled(clients.map((c) => c.opened));
			for (const [i, c] of clients.entries()) if (opened[i].status === 'fulfilled') c.send(authFrame('grid:g1', randomBytes(20).toString('hex').slice(0, 32)));
			await Promise.all(clients.map((c) => c.answered(10_000)));
			// While all 200 are open, the watchers must still sync.
			await stillServing();
			const refusals = clients.filter((c) => c.outcome.authenticated.length === 0 && (c.outcome.denied.length > 0 || c.outcome.closed)).length;
			for (const c of clients) c.close();
			expect(refusals).toBe(200);
			return refused(`${opened.filter((o) => o.status === 'fulfilled').length} opened, 200 refused`);
		}
	}
];

describe('hostile input', () => {
	for (const input of inputs) {
		it(input.name, async () => {
			tally.tried++;
			const outcome = await input.run();
			try {
				await stillServing();
			} catch (e) {
				tally.crashes++;
				throw e;
			}
			expect(outcome, 'the run checked its refusal').toBeInstanceOf(Refused);
			tally.refused++;
			console.log(`  refused: ${input.name} → ${outcome.how}`);
		});
	}

	it('every input was refused cleanly, and the server never went down', () => {
		console.log(`${tally.tried} inputs tried, ${tally.refused} refused cleanly, ${tally.crashes} crashes`);
		expect(tally.tried).toBeGreaterThanOrEqual(40);
		expect(tally.refused).toBe(tally.tried);
		expect(tally.crashes).toBe(0);
	});
});
