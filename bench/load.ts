/**
 * The load process for "sync under load" (issue 6, row 1), run as its own child process so
 * that its work never counts against the server it measures.
 *
 * `node bench/load.ts '<json LoadOptions>'`. N editors, each a separate WebSocket client with
 * its own Y.Doc (a tablet), are spread over M documents. Each editor registers one household,
 * then changes its `head` field `rate` times a second for `seconds` seconds through the
 * domain's `updateHousehold`. Every other editor on the same document records the time from
 * the edit to its arrival (all clients share this process's clock). Against Hocuspocus servers
 * the sender also records the time from its edit to the server's acknowledgement (one ack per
 * update, in order; ours sends it only once the update is in the log, fsynced). At the end
 * every replica must hold each household's last value; anything else counts as an error.
 *
 * Prints JSON lines: {event:"measuring"}, then {event:"done", result}.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addHousehold, readHousehold, updateHousehold } from '../src/lib/domain/grid-doc.ts';

export interface LoadOptions {
	target: 'ours' | 'reference' | 'hocuspocus';
	wsUrl: string;
	token: string | null;
	docNames: string[];
	editors: number;
	rate: number;
	seconds: number;
}

export interface LoadResult {
	editors: number;
	docs: number;
	edits: number;
	expectedDeliveries: number;
	delivered: number;
	latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
	/** Sender's edit → server's ack (Hocuspocus servers only; y-websocket has no acks). */
	ackLatencyMs: { p50: number; p95: number; p99: number; max: number } | null;
	errors: number;
	errorDetail: Record<string, number>;
	loadLoopDelayP99Ms: number;
	connectMs: number;
}

interface Editor {
	index: number;
	doc: Y.Doc;
	docName: string;
	householdId: string;
	seq: number;
	synced: Promise<void>;
	destroy(): void;
}

const options = JSON.parse(process.argv[2]) as LoadOptions;
const errorDetail: Record<string, number> = {};
const countError = (kind: string) => (errorDetail[kind] = (errorDetail[kind] ?? 0) + 1);
let measuring = false;
const ackLatencies: number[] = [];

function connect(index: number, docName: string): Editor {
	const doc = new Y.Doc();
	let destroy: () => void;
	let synced: Promise<void>;
	if (options.target === 'ours' || options.target === 'hocuspocus') {
		const provider = new HocuspocusProvider({ url: options.wsUrl, name: docName, document: doc, token: options.token ?? '' });
		synced = new Promise((resolve, reject) => {
			provider.on('synced', () => resolve());
			provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
				countError('authenticationFailed');
				reject(new Error(`authentication failed: ${reason}`));
			});
		});
		provider.on('close', () => measuring && countError('socketClosed'));
		// One ack per local update, in order: the oldest unacknowledged edits are the ones acked.
		const unacked: { at: number; measured: boolean }[] = [];
		doc.on('update', (_u: Uint8Array, origin: unknown) => {
			if (origin !== provider) unacked.push({ at: performance.now(), measured: measuring });
		});
		provider.on('unsyncedChanges', ({ number }: { number: number }) => {
			const now = performance.now();
			while (unacked.length > number) {
				const edit = unacked.shift()!;
				if (edit.measured) ackLatencies.push(now - edit.at);
			}
		});
		destroy = () => provider.destroy();
	} else {
		// disableBc: y-websocket clients in one process otherwise hand each other updates through
		// a BroadcastChannel, bypassing the server this bench measures.
		const provider = new WebsocketProvider(options.wsUrl, docName, doc, { disableBc: true });
		synced = new Promise((resolve) => provider.on('sync', (isSynced: boolean) => isSynced && resolve()));
		provider.on('connection-close', () => measuring && countError('socketClosed'));
		provider.on('connection-error', () => countError('connectionError'));
		destroy = () => provider.destroy();
	}
	return { index, doc, docName, householdId: `hh${index}`, seq: 0, synced, destroy: () => destroy() };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`${what}: not reached in ${ms} ms`);
		await sleep(50);
	}
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
	const { editors: n, docNames, rate, seconds } = options;
	const t0 = performance.now();
	const editors: Editor[] = [];
	for (let i = 0; i < n; i++) {
		editors.push(connect(i, docNames[i % docNames.length]));
		if (i % 10 === 9) await sleep(20);
	}
	await withTimeout(Promise.all(editors.map((e) => e.synced)), 60_000, 'initial sync');
	const connectMs = performance.now() - t0;

	for (const e of editors)
		addHousehold(e.doc, { address: `基准路${e.index}号`, lng: 120.24, lat: 29.71, head: `${e.index}:0`, size: 1, phone: '', tags: [], colour: 'green' }, 'bench-admin', new Date().toISOString(), e.householdId);
	const peersOf = (e: Editor) => editors.filter((p) => p.docName === e.docName);
	await waitUntil(() => editors.every((e) => peersOf(e).every((p) => readHousehold(e.doc, p.householdId))), 30_000, 'households visible everywhere');

	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	for (const e of editors) {
		e.doc.getMap('households').observeDeep((events, tr) => {
			if (tr.local || !measuring) return;
			const now = performance.now();
			for (const ev of events) {
				if (ev.target instanceof Y.Map && ev.path.length === 1 && (ev as Y.YMapEvent<unknown>).keysChanged.has('head')) {
					const t = sentAt.get(String(ev.target.get('head')));
					if (t !== undefined) latencies.push(now - t);
				}
			}
		});
	}

	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	measuring = true;
	console.log(JSON.stringify({ event: 'measuring' }));
	let edits = 0;
	let expectedDeliveries = 0;
	const period = 1000 / rate;
	const end = performance.now() + seconds * 1000;
	const timers = editors.map((e) =>
		setTimeout(function tick() {
			if (performance.now() >= end) return;
			e.seq++;
			const value = `${e.index}:${e.seq}`;
			sentAt.set(value, performance.now());
			updateHousehold(e.doc, e.householdId, { head: value });
			edits++;
			expectedDeliveries += peersOf(e).length - 1;
			timers[e.index] = setTimeout(tick, period);
		}, Math.random() * period)
	);
	await sleep(seconds * 1000 + period);
	loop.disable();
	console.log(JSON.stringify({ event: 'edits-done' }));

	// Drain: every replica must end with every household's last value.
	const converged = () => editors.every((e) => peersOf(e).every((p) => readHousehold(e.doc, p.householdId)?.head === `${p.index}:${p.seq}`));
	try {
		await waitUntil(converged, 15_000, 'convergence');
	} catch {
		for (const e of editors)
			for (const p of peersOf(e)) if (readHousehold(e.doc, p.householdId)?.head !== `${p.index}:${p.seq}`) countError('notConverged');
	}
	measuring = false;
	for (const t of timers) clearTimeout(t);

	latencies.sort((a, b) => a - b);
	ackLatencies.sort((a, b) => a - b);
	const round = (v: number) => Number(v.toFixed(2));
	const result: LoadResult = {
		editors: n,
		docs: docNames.length,
		edits,
		expectedDeliveries,
		delivered: latencies.length,
		latencyMs: {
			p50: round(percentile(latencies, 50)),
			p95: round(percentile(latencies, 95)),
			p99: round(percentile(latencies, 99)),
			mean: round(latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length)),
			max: round(latencies[latencies.length - 1] ?? NaN)
		},
		ackLatencyMs:
			ackLatencies.length === 0
				? null
				: {
						p50: round(percentile(ackLatencies, 50)),
						p95: round(percentile(ackLatencies, 95)),
						p99: round(percentile(ackLatencies, 99)),
						max: round(ackLatencies[ackLatencies.length - 1])
					},
		errors: Object.values(errorDetail).reduce((s, v) => s + v, 0),
		errorDetail,
		loadLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
		connectMs: round(connectMs)
	};
	console.log(JSON.stringify({ event: 'done', result }));
	for (const e of editors) e.destroy();
	setTimeout(() => process.exit(0), 200);
}

main().catch((error: unknown) => {
	console.log(JSON.stringify({ event: 'failed', error: String((error as Error)?.stack ?? error), errorDetail }));
	process.exit(1);
});
