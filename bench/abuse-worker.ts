/**
 * One abuse of issue 12, run in a worker thread of the bench process (row 8, under-abuse.ts)
 * so that its own work does not delay the honest client measured on the main thread. Each
 * abuse is the one tests/integration/hostile-quotas.test.ts checks for its refusal; here it is
 * only run, and what became of it is posted back as one line.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { GRID_ROOTS, listHouseholds } from '../src/lib/domain/grid-doc.ts';
import { newId } from '../src/lib/domain/ids.ts';
import { authFrame, awarenessFrame, RawClient, syncStep1Frame, updateFrame } from '../tests/integration/hostile/wire.ts';

export type AbuseName = 'update5mb' | 'flood1mb' | 'awareness' | 'preLogin' | 'refusedAuth' | 'history';

export interface AbuseJob {
	abuse: AbuseName;
	wsUrl: string;
	httpUrl: string;
	tokens: Record<'admin' | 'liaison' | 'police' | 'gridworker', string>;
	/** The 1 MB updates of the flood, or the 1,000 awareness messages, or the sockets, or the authentications. */
	count: number;
}

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number): Promise<boolean> {
	const end = Date.now() + ms;
	while (!check() && Date.now() < end) await sleep(10);
	return check();
}

async function authed(wsUrl: string, doc: string, token: string): Promise<RawClient> {
	const c = new RawClient(wsUrl);
	await c.opened;
	c.send(authFrame(doc, token));
	await c.answered(10_000);
	if (c.outcome.authenticated.length !== 1) throw new Error(`not admitted to ${doc}: ${c.outcome.denied.join(', ')}`);
	c.send(syncStep1Frame(doc));
	return c;
}

async function send(c: RawClient, doc: string, update: Uint8Array): Promise<'acknowledged' | 'closed'> {
	const acks = c.outcome.syncStatus.filter(Boolean).length;
	c.send(updateFrame(doc, update));
	await until(() => c.outcome.docClosed || c.outcome.closed || c.outcome.syncStatus.filter(Boolean).length > acks, 30_000);
	return c.outcome.docClosed || c.outcome.closed ? 'closed' : 'acknowledged';
}

async function docCopy(wsUrl: string, name: string, token: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	const provider = new HocuspocusProvider({ url: wsUrl, name, document: doc, token });
	await until(() => provider.isSynced, 30_000);
	provider.destroy();
	return doc;
}

const abuses: Record<AbuseName, (job: AbuseJob) => Promise<string>> = {
	async update5mb({ wsUrl, tokens }) {
		const doc = new Y.Doc();
		doc.getMap('households').set('k', 'x'.repeat(5 * MB));
		const c = await authed(wsUrl, 'grid:g3', tokens.admin);
		await send(c, 'grid:g3', Y.encodeStateAsUpdate(doc));
		c.close();
		return `closed: ${c.outcome.docCloseReason}`;
	},
	async flood1mb({ wsUrl, tokens, count }) {
		// 1 MB updates the rules accept (500 visits in the liaison member's own name), as fast as possible
		const copy = await docCopy(wsUrl, 'grid:g2', tokens.liaison);
		const household = listHouseholds(copy)[0].id;
		const c = await authed(wsUrl, 'grid:g2', tokens.liaison);
		let accepted = 0;
		for (let i = 0; i < count; i++) {
			const sv = Y.encodeStateVector(copy);
			const at = new Date().toISOString();
			copy.getArray(GRID_ROOTS.visits).push(
				Array.from({ length: 500 }, (_, k) => ({ id: newId(), householdId: household, by: 'u-demo-liaison', byName: '', at, mode: 'inPerson', note: String.fromCharCode(97 + (k % 26)).repeat(2_000) }))
			);
			if ((await send(c, 'grid:g2', Y.encodeStateAsUpdate(copy, sv))) === 'closed') break;
			accepted++;
		}
		c.close();
		return `${accepted} accepted, then ${c.outcome.docCloseReason ?? 'none refused'}`;
	},
	async awareness({ wsUrl, tokens, count }) {
		const c = await authed(wsUrl, 'grid:g1', tokens.police);
		const started = performance.now();
		// as fast as possible, in slices of a tenth of a second (1,000 a second)
		for (let i = 0; i < count; i++) {
			c.send(awarenessFrame('grid:g1', [{ clientId: 7_100_000, clock: i + 1, state: { cursor: null, n: i } }]));
			if (i % 100 === 99) await sleep(Math.max(0, started + ((i + 1) / 1000) * 1000 - performance.now()));
		}
		const acks = c.outcome.syncStatus.length;
		c.send(updateFrame('grid:g1', new Uint8Array([0, 0])));
		await until(() => c.outcome.syncStatus.length > acks || c.outcome.docClosed || c.outcome.closed, 30_000);
		c.close();
		return `${count} sent in ${((performance.now() - started) / 1000).toFixed(1)} s`;
	},
	async preLogin({ wsUrl, count }) {
		const chunk = updateFrame('grid:g1', new Uint8Array(256 * 1024).fill(7));
		const sockets = Array.from({ length: count }, () => new RawClient(wsUrl));
		const opened = await Promise.allSettled(sockets.map((s) => s.opened));
		for (const [i, s] of sockets.entries()) {
			if (opened[i].status !== 'fulfilled') continue;
			for (let k = 0; k < 20 && s.ws.readyState === WebSocket.OPEN; k++) s.send(chunk);
		}
		await Promise.all(sockets.map((s) => s.closedWithin(30_000)));
		const codes = new Map<number, number>();
		for (const s of sockets) codes.set(s.outcome.closeCode ?? 0, (codes.get(s.outcome.closeCode ?? 0) ?? 0) + 1);
		return `closed: ${[...codes].map(([k, v]) => `${k}×${v}`).join(', ')}`;
	},
	async refusedAuth({ wsUrl, count }) {
		let refused = 0;
		while (refused < count) {
			const batch = Array.from({ length: Math.min(50, count - refused) }, () => new RawClient(wsUrl));
			await Promise.all(batch.map((s) => s.opened));
			for (const s of batch) s.send(authFrame('grid:g1', 'abcdefghijklmnopqrstuvwxyz234567'));
			await Promise.all(batch.map((s) => s.closedWithin(10_000)));
			refused += batch.length;
		}
		return `${refused} refused`;
	},
	async history({ httpUrl, tokens }) {
		let pages = 0;
		let bytes = 0;
		let before: number | null = null;
		do {
			const res: Response = await fetch(`${httpUrl}/api/docs/grid:g3/history${before === null ? '' : `?before=${before}`}`, { headers: { authorization: `Bearer ${tokens.admin}` } });
			if (res.status !== 200) break;
			const text: string = await res.text();
			bytes += text.length;
			pages++;
			before = (JSON.parse(text) as { nextBefore: number | null }).nextBefore;
		} while (before !== null && pages < 50);
		return `${pages} pages, ${(bytes / 1024).toFixed(0)} KB`;
	}
};

const job = workerData as AbuseJob;
abuses[job.abuse](job).then(
	(line) => parentPort!.postMessage({ ok: true, line }),
	(error: unknown) => parentPort!.postMessage({ ok: false, line: String(error) })
);
