/**
 * Hostile input, part 2 (issues 12 and 14): sizes, rates, presence and sockets before login,
 * against the real server with its default limits (src/lib/domain/limits.ts), and the honest
 * heavy use those limits must let through.
 *
 * Each attack is counted as refused only by the check of its refusal (the reason the server
 * closed the document, what reached the log, what a peer received). While each runs, an honest
 * pair of grid workers measures its edit round trip; the figure is printed next to the
 * baseline (not asserted: the machine is shared, times are for `npm run bench`). Server
 * memory (RSS) before and after the pre-login socket flood is printed, and bounded loosely.
 *
 * The document byte rate is lowered to 1 KB/s here (its burst to 5 MB) so that a slow run's
 * refill cannot hide the per-document quota; the other limits are the defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { addHousehold, listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { PRESENCE_PALETTE } from '../../src/lib/domain/presence.ts';
import { addAgendaItem, minutesFragment } from '../../src/lib/domain/session-doc.ts';
import { DEFAULT_WRITE_RATES, UPDATE_LIMITS } from '../../src/lib/domain/limits.ts';
import { addRecords, withDb } from '../helpers/access.ts';
import { connect, waitAcknowledged, waitFor, type Client } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { authFrame, awarenessFrame, RawClient, syncStep1Frame, updateFrame } from './hostile/wire.ts';

const MB = 1024 * 1024;
let server: TestServer;
let tokens: Record<'gridworker' | 'admin' | 'police' | 'liaison' | 'committee' | 'mediator', string>;
let watcherA: Client;
let watcherB: Client;
let householdId: string;
let baselineP99 = 0;
const tally = { tried: 0, refused: 0 };
const honest: string[] = [];

beforeAll(async () => {
	server = await startServer({ env: { LOG_LEVEL: 'warn', DOC_WRITE_BURST_BYTES: String(5 * MB), DOC_WRITE_BYTES_PER_S: '1024' } });
	tokens = {
		gridworker: await server.login('demo-gridworker'),
		admin: await server.login('demo-admin'),
		police: await server.login('demo-police'),
		liaison: await server.login('demo-liaison'),
		committee: await server.login('demo-committee'),
		mediator: await server.login('demo-mediator')
	};
	watcherA = connect(server.wsUrl, 'grid:g1', tokens.gridworker);
	watcherB = connect(server.wsUrl, 'grid:g1', tokens.gridworker);
	await waitFor(() => watcherA.provider.isSynced && watcherB.provider.isSynced, 'watchers synced');
	householdId = listHouseholds(watcherA.doc)[0].id;
	await roundTrips(10); // warm-up
	const baseline = await during(() => new Promise((r) => setTimeout(r, 3_000)));
	baselineP99 = baseline.p99;
	console.log(`baseline: honest edit round trip p99 ${baselineP99.toFixed(1)} ms (${baseline.n} edits, one each 100 ms)`);
});

afterAll(async () => {
	console.log(`${tally.tried} attacks tried, ${tally.refused} refused (each by its own check)`);
	for (const line of honest) console.log(line);
	watcherA?.destroy();
	watcherB?.destroy();
	await server?.stop();
});

// ---- figures ----

let edits = 0;
/** One honest edit from A until B has it, in ms. */
async function roundTrip(): Promise<number> {
	const value = `rt ${++edits}`;
	const start = performance.now();
	const seen = new Promise<void>((resolve) => {
		const check = () => {
			if (readHousehold(watcherB.doc, householdId)?.head !== value) return;
			watcherB.doc.off('update', check);
			resolve();
		};
		watcherB.doc.on('update', check);
	});
	updateHousehold(watcherA.doc, householdId, { head: value });
	await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`the watcher never saw "${value}"`)), 30_000))]);
	return performance.now() - start;
}

async function roundTrips(n: number): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) out.push(await roundTrip());
	return out;
}

/**
 * Round trips measured while `attack` runs (at least 10), at a person's pace: one edit each
 * 100 ms (a robot's pace would be refused by the user's own update rate).
 */
async function during<T>(attack: () => Promise<T>): Promise<{ result: T; p99: number; n: number }> {
	let done = false;
	const samples: number[] = [];
	const sampling = (async () => {
		while (!done || samples.length < 10) {
			const ms = await roundTrip();
			samples.push(ms);
			await new Promise((r) => setTimeout(r, Math.max(0, 100 - ms)));
		}
	})();
	let result: T;
	try {
		result = await attack();
	} finally {
		done = true;
		await sampling;
	}
	return { result, p99: p99(samples), n: samples.length };
}

function p99(samples: number[]): number {
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;

function logged(doc: string): { rows: number; bytes: number } {
	return withDb(
		server,
		(db) => {
			const r = db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(length(update_bytes)), 0) AS bytes FROM doc_updates WHERE doc = ?').get(doc) as {
				rows: number;
				bytes: number;
			};
			return { rows: Number(r.rows), bytes: Number(r.bytes) };
		},
		{ readOnly: true }
	);
}

/** A raw client authenticated on `doc`, with the server's sync answer read. */
async function authed(doc: string, token: string): Promise<RawClient> {
	const c = new RawClient(server.wsUrl);
	await c.opened;
	c.send(authFrame(doc, token));
	await c.answered(10_000);
	expect(c.outcome.authenticated.length, `authenticated on ${doc}: ${JSON.stringify(c.outcome)}`).toBe(1);
	c.send(syncStep1Frame(doc));
	return c;
}

/** An update that sets `n` keys of a map root to `value(i)`, from a fresh client. */
function mapUpdate(root: string, n: number, value: (i: number) => unknown): Uint8Array {
	const doc = new Y.Doc();
	doc.transact(() => {
		const m = doc.getMap<unknown>(root);
		for (let i = 0; i < n; i++) m.set(`k${i}`, value(i));
	});
	return Y.encodeStateAsUpdate(doc);
}

/** Sends `update` and waits for the acknowledgement or the document's close. */
async function sendAndWait(c: RawClient, doc: string, update: Uint8Array): Promise<'acknowledged' | 'closed'> {
	const acks = c.outcome.syncStatus.filter(Boolean).length;
	c.send(updateFrame(doc, update));
	await waitFor(() => c.outcome.docClosed || c.outcome.closed || c.outcome.syncStatus.filter(Boolean).length > acks, 'an answer to the update', 30_000);
	return c.outcome.docClosed || c.outcome.closed ? 'closed' : 'acknowledged';
}

/** Runs one attack with the honest round trip measured meanwhile; counts it when its check passed. */
async function attack(name: string, run: () => Promise<string>): Promise<void> {
	tally.tried++;
	const { result, p99: during99, n } = await during(run);
	tally.refused++;
	console.log(`  refused: ${name} → ${result}; honest round trip p99 ${during99.toFixed(1)} ms over ${n} edits (baseline ${baselineP99.toFixed(1)} ms, ×${(during99 / baselineP99).toFixed(2)})`);
}

// ---- attacks ----

describe('sizes', () => {
	it('a 5 MB string in one update is refused unacknowledged, nothing logged', async () => {
		const update = mapUpdate('households', 1, () => 'x'.repeat(5 * MB));
		await attack('5 MB string in one update (admin, grid:g3)', async () => {
			const before = logged('grid:g3');
			const c = await authed('grid:g3', tokens.admin);
			expect(await sendAndWait(c, 'grid:g3', update)).toBe('closed');
			c.close();
			expect(c.outcome.docCloseReason).toBe('update-too-large');
			expect(c.outcome.syncStatus).not.toContain(true);
			expect(logged('grid:g3')).toEqual(before);
			return `document closed: ${c.outcome.docCloseReason}`;
		});
	});

	it('100,000 map entries in one update are refused', async () => {
		const update = mapUpdate('households', 100_000, (i) => i);
		await attack('100,000 map entries in one update (admin, grid:g3)', async () => {
			const before = logged('grid:g3');
			const c = await authed('grid:g3', tokens.admin);
			expect(await sendAndWait(c, 'grid:g3', update)).toBe('closed');
			c.close();
			expect(c.outcome.docCloseReason).toBe('update-too-large');
			expect(logged('grid:g3')).toEqual(before);
			return `document closed: ${c.outcome.docCloseReason}`;
		});
	});

	it('a value over the kind\'s limit is refused even in a small update (directory: 16 KB)', async () => {
		await attack('a 20 KB value in the community directory', async () => {
			const before = logged('directory:c1');
			const c = await authed('directory:c1', tokens.admin);
			expect(await sendAndWait(c, 'directory:c1', mapUpdate('grids', 1, () => 'y'.repeat(20_000)))).toBe('closed');
			c.close();
			expect(c.outcome.docCloseReason).toBe('update-too-large');
			expect(logged('directory:c1')).toEqual(before);
			return `document closed: ${c.outcome.docCloseReason}`;
		});
	});
});

describe('rates', () => {
	it('one login writing 1 MB updates as fast as it can is stopped after its burst, on every connection', async () => {
		// four values of 250 KB each: under the grid's value limit, 1 MB together
		const updates = Array.from({ length: 21 }, (_, i) => mapUpdate(`junk${i}`, 4, (k) => String.fromCharCode(97 + k).repeat(250_000)));
		await attack('1 MB updates as fast as possible (liaison, grid:g2)', async () => {
			const before = logged('grid:g2');
			const started = performance.now();
			const c = await authed('grid:g2', tokens.liaison);
			let accepted = 0;
			for (let i = 0; i < 20; i++) {
				const outcome = await sendAndWait(c, 'grid:g2', updates[i]);
				if (outcome === 'closed') break;
				accepted++;
			}
			c.close();
			const seconds = (performance.now() - started) / 1000;
			expect(c.outcome.docCloseReason).toBe('rate-limited');
			const grown = logged('grid:g2').bytes - before.bytes;
			// the burst and what refilled meanwhile, nothing like the 49 MB of issue 12
			expect(grown).toBeLessThanOrEqual(DEFAULT_WRITE_RATES.userBytes.burst + DEFAULT_WRITE_RATES.userBytes.perSecond * (seconds + 1));
			// the same user on another connection: the bucket is the user's
			const again = await authed('grid:g2', tokens.liaison);
			expect(await sendAndWait(again, 'grid:g2', updates[20])).toBe('closed');
			again.close();
			expect(again.outcome.docCloseReason).toBe('rate-limited');
			return `${accepted} MB accepted, then rate-limited (log grew ${(grown / MB).toFixed(2)} MB in ${seconds.toFixed(1)} s); a second connection refused at once`;
		});
	});
});

describe('honest heavy use passes', () => {
	it('a 3,000-edit offline catch-up merged into one update', async () => {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(watcherA.doc));
		const households = listHouseholds(copy);
		const sv = Y.encodeStateVector(copy);
		for (let i = 0; i < 3_000; i++) updateHousehold(copy, households[i % households.length].id, { phone: `1380013${String(i).padStart(4, '0')}` });
		const bytes = Y.encodeStateAsUpdate(copy, sv).length;
		const c = connect(server.wsUrl, 'grid:g1', tokens.gridworker, copy);
		try {
			await waitAcknowledged(c, 60_000);
			expect(c.closes).toEqual([]);
			await waitFor(() => readHousehold(watcherB.doc, households[2_999 % households.length].id)?.phone === '13800132999', 'the catch-up at a peer');
		} finally {
			c.destroy();
		}
		honest.push(`  honest: 3,000 offline edits in one catch-up update (${(bytes / 1024).toFixed(0)} KB) accepted`);
	});

	it('a device sending a whole 5,000-household grid (2.2 MB, 60,000 entries) in one handshake', async () => {
		const doc = new Y.Doc();
		for (let i = 0; i < 5_000; i++)
			addHousehold(doc, { address: `枫桥街道幸福路${i}号 3单元 502室`, lng: 120.1 + i * 1e-5, lat: 29.7, head: '张建华', size: 4, phone: '13800138000', tags: ['elderly'], colour: 'green' }, 'u-demo-committee');
		const bytes = Y.encodeStateAsUpdate(doc).length;
		expect(bytes).toBeLessThanOrEqual(UPDATE_LIMITS.grid.maxUpdateBytes);
		const c = connect(server.wsUrl, 'grid:g3', tokens.committee, doc);
		try {
			await waitAcknowledged(c, 60_000);
			expect(c.closes).toEqual([]);
		} finally {
			c.destroy();
		}
		honest.push(`  honest: a whole 5,000-household grid from one device (${(bytes / MB).toFixed(2)} MB) accepted`);
	});

	it('a meeting of four typing as fast as they can in the minutes', async () => {
		addRecords(server, [{ kind: 'session', id: 'sq1', communityId: 'c1' }]);
		const writers = (['committee', 'police', 'mediator', 'admin'] as const).map((who) => ({ who, client: connect(server.wsUrl, 'session:sq1', tokens[who]) }));
		try {
			await waitFor(() => writers.every((w) => w.client.provider.isSynced), 'the meeting synced');
			const chair = writers[0].client.doc;
			const itemId = addAgendaItem(chair, '楼道堆物清理', 'u-demo-committee');
			await waitFor(() => writers.every((w) => w.client.doc.getXmlFragment(`minutes:${itemId}`) !== undefined && w.client.provider.isSynced), 'the item everywhere');
			await waitAcknowledged(writers[0].client);
			const text = '今天讨论了三号楼楼道堆物的清理办法，居民同意周六统一搬走。';
			let typed = 0;
			await Promise.all(
				writers.map(async ({ client }) => {
					const fragment = minutesFragment(client.doc, itemId);
					const paragraph = new Y.XmlElement('paragraph');
					const line = new Y.XmlText();
					paragraph.insert(0, [line]);
					fragment.insert(fragment.length, [paragraph]);
					for (let i = 0; i < 300; i++) {
						line.insert(line.length, text[i % text.length]); // one keystroke, one update
						typed++;
						if (i % 25 === 0) await new Promise((r) => setImmediate(r));
					}
				})
			);
			for (const { client } of writers) await waitAcknowledged(client, 60_000);
			for (const { who, client } of writers) expect(client.closes, who).toEqual([]);
			honest.push(`  honest: four people typing ${typed} keystrokes into one session's minutes at full speed, all accepted`);
		} finally {
			for (const { client } of writers) client.destroy();
		}
	});
});

describe('document quota', () => {
	it('writers together cannot pass the document\'s quota; each writer gets a clear reason', async () => {
		const update = mapUpdate('junk', 15, (k) => String.fromCharCode(97 + k).repeat(250_000));
		await attack('3.8 MB into a grid that took 2.2 MB just before (admin, grid:g3)', async () => {
			const before = logged('grid:g3');
			const c = await authed('grid:g3', tokens.admin);
			expect(await sendAndWait(c, 'grid:g3', update)).toBe('closed');
			c.close();
			expect(c.outcome.docCloseReason).toBe('document-quota');
			expect(logged('grid:g3')).toEqual(before);
			return `document closed: ${c.outcome.docCloseReason}`;
		});
	});
});

describe('presence', () => {
	it('a read-only user can neither overwrite another participant nor inject one; colours come from the palette', async () => {
		await attack('forged awareness from a read-only user (police on grid:g1)', async () => {
			const victim = watcherA.doc.clientID;
			const states = () => watcherB.provider.awareness!.getStates();
			// the victim announces itself now (a state older than 30 s may have timed out)
			watcherA.provider.setAwarenessField('here', Date.now());
			await waitFor(() => (states().get(victim) as { user?: { id?: string } } | undefined)?.user?.id === 'u-demo-gridworker', 'the victim\'s own entry at a peer');
			const c = await authed('grid:g1', tokens.police);
			const evil = 'url(https://attacker.example/track.png)';
			c.send(
				awarenessFrame('grid:g1', [
					{ clientId: 7_000_001, clock: 1, state: { user: { id: 'u-demo-admin', name: '我是管理员', color: evil }, extra: 'x'.repeat(1000) } },
					{ clientId: victim, clock: 1_000_000, state: { user: { id: 'u-demo-gridworker', name: '假冒的网格员', color: evil } } },
					{ clientId: 7_000_002, clock: 1, state: { user: { id: 'u-fake', name: '虚构的参会人', color: evil } } }
				])
			);
			await waitFor(() => states().has(7_000_001), 'the sender\'s own entry at a peer');
			await new Promise((r) => setTimeout(r, 300));
			c.close();
			const all = [...states().entries()];
			const names = all.map(([, s]) => (s as { user?: { name?: string } }).user?.name);
			expect(names).not.toContain('我是管理员');
			expect(names).not.toContain('假冒的网格员');
			expect(names).not.toContain('虚构的参会人');
			expect(states().has(7_000_002)).toBe(false);
			// the victim's entry is still the one the server wrote for its own connection
			expect((states().get(victim) as { user?: unknown } | undefined)?.user).toMatchObject({ id: 'u-demo-gridworker', name: '李秀英（网格员）' });
			const own = states().get(7_000_001) as { user: { id: string; name: string; color: string; readOnly?: boolean }; extra?: unknown };
			expect(own.user).toMatchObject({ id: 'u-demo-police', readOnly: true });
			expect(own.extra).toBeUndefined();
			for (const [, s] of all) {
				const color = (s as { user?: { color?: string } }).user?.color;
				if (color !== undefined) expect(PRESENCE_PALETTE).toContain(color);
			}
			return `own entry rewritten to ${own.user.name} in ${own.user.color}; forged and injected entries dropped`;
		});
	});

	it('1,000 awareness messages a second are not all relayed', async () => {
		await attack('1,000 awareness messages as fast as possible (police on grid:g1)', async () => {
			const c = await authed('grid:g1', tokens.police);
			const peer = await authed('grid:g1', tokens.gridworker);
			await new Promise((r) => setTimeout(r, 300));
			const before = peer.outcome.awareness;
			const started = performance.now();
			for (let i = 0; i < 1_000; i++) c.send(awarenessFrame('grid:g1', [{ clientId: 7_100_000, clock: i + 1, state: { cursor: null, n: i } }]));
			// the server has read them all once the socket answers a later message
			const acks = c.outcome.syncStatus.length;
			c.send(updateFrame('grid:g1', new Uint8Array([0, 0])));
			await waitFor(() => c.outcome.syncStatus.length > acks || c.outcome.docClosed, 'the flood to be read');
			const seconds = (performance.now() - started) / 1000;
			await new Promise((r) => setTimeout(r, 300));
			const relayed = peer.outcome.awareness - before;
			c.close();
			peer.close();
			// the burst, then ten a second (plus the sender's own leaving)
			expect(relayed).toBeLessThanOrEqual(40 + Math.ceil(10 * (seconds + 1)) + 2);
			return `${relayed} of 1,000 relayed (${seconds.toFixed(1)} s)`;
		});
	});
});

describe('sockets before login', () => {
	it('100 sockets each queueing 5 MB before login are closed, and the memory comes back', async () => {
		await attack('100 sockets × 5 MB queued before authenticating', async () => {
			const rssBefore = rssMb();
			const chunk = updateFrame('grid:g1', new Uint8Array(256 * 1024).fill(7));
			const sockets = Array.from({ length: 100 }, () => new RawClient(server.wsUrl));
			const opened = await Promise.allSettled(sockets.map((s) => s.opened));
			for (const [i, s] of sockets.entries()) {
				if (opened[i].status !== 'fulfilled') continue;
				for (let k = 0; k < 20 && s.ws.readyState === WebSocket.OPEN; k++) s.send(chunk);
			}
			await Promise.all(sockets.map((s) => s.closedWithin(30_000)));
			const rssPeak = rssMb();
			const codes = new Map<number, number>();
			for (const s of sockets) codes.set(s.outcome.closeCode ?? 0, (codes.get(s.outcome.closeCode ?? 0) ?? 0) + 1);
			expect(sockets.every((s) => s.outcome.closed && s.outcome.authenticated.length === 0)).toBe(true);
			await new Promise((r) => setTimeout(r, 2000));
			const rssAfter = rssMb();
			console.log(`  memory: RSS ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB at the end of the flood, ${rssAfter.toFixed(0)} MB 2 s after (×${(rssAfter / rssBefore).toFixed(2)})`);
			// loose: the 100 × 5 MB of issue 12 (+345 MB, kept after close) must not happen
			expect(rssAfter).toBeLessThan(rssBefore * 1.2 + 64);
			return `all 100 closed (codes ${[...codes].map(([k, v]) => `${k}×${v}`).join(', ')})`;
		});
	});

	it('a refused authentication closes the socket, and 2,000 refusals write a bounded number of log lines', async () => {
		await attack('2,000 forged authentications', async () => {
			const linesBefore = (server.output().match(/collab\.refused/g) ?? []).length;
			const started = performance.now();
			const first = new RawClient(server.wsUrl);
			await first.opened;
			for (let i = 0; i < 2_000; i++) first.send(authFrame(`grid:g${i}`, 'abcdefghijklmnopqrstuvwxyz234567'));
			expect(await first.closedWithin(10_000), 'the socket closed after its refusal').toBe(true);
			expect(first.outcome.authenticated).toEqual([]);
			let refused = first.outcome.denied.length;
			// and the rest on sockets of their own, 50 at a time
			while (refused < 2_000) {
				const batch = Array.from({ length: Math.min(50, 2_000 - refused) }, () => new RawClient(server.wsUrl));
				await Promise.all(batch.map((s) => s.opened));
				for (const s of batch) s.send(authFrame('grid:g1', 'abcdefghijklmnopqrstuvwxyz234567'));
				await Promise.all(batch.map((s) => s.closedWithin(10_000)));
				for (const s of batch) {
					expect(s.outcome.closed && s.outcome.closeCode === 4401, `closed 4401, got ${s.outcome.closeCode}`).toBe(true);
					refused += Math.max(1, s.outcome.denied.length);
				}
			}
			const seconds = (performance.now() - started) / 1000;
			await new Promise((r) => setTimeout(r, 200));
			const lines = (server.output().match(/collab\.refused/g) ?? []).length - linesBefore;
			expect(lines).toBeLessThanOrEqual(20 * (Math.ceil(seconds / 10) + 1));
			return `sockets closed (4401) after their refusal; ${lines} log lines for ${refused} refusals in ${seconds.toFixed(1)} s`;
		});
	});
});

describe('history API', () => {
	it('answers in bounded pages, however large the log, and limits how often one user asks', async () => {
		await attack('reading the history of a grid that took 60,000 entries at once', async () => {
			const res = await fetch(`${server.url}/api/docs/grid:g3/history`, { headers: { authorization: `Bearer ${tokens.admin}` } });
			const text = await res.text();
			expect(res.status).toBe(200);
			const body = JSON.parse(text) as { changes: unknown[]; more: boolean; nextBefore: number | null };
			expect(body.changes.length).toBeLessThanOrEqual(500);
			expect(text.length).toBeLessThan(1 * MB);
			let pages = 1;
			let before = body.nextBefore;
			while (before !== null && pages < 50) {
				const next = await fetch(`${server.url}/api/docs/grid:g3/history?before=${before}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
				if (next.status === 429) break;
				expect(next.status).toBe(200);
				before = ((await next.json()) as { nextBefore: number | null }).nextBefore;
				pages++;
			}
			let limited = 0;
			for (let i = 0; i < 150 && limited === 0; i++) {
				const r = await fetch(`${server.url}/api/docs/grid:g1/history?household=${householdId}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
				if (r.status === 429) {
					limited++;
					expect(((await r.json()) as { error: string }).error).toBe('rateLimited');
				} else await r.text();
			}
			expect(limited).toBe(1);
			return `first page ${(text.length / 1024).toFixed(0)} KB with ${body.changes.length} changes, ${pages} pages read, then 429`;
		});
	});
});
