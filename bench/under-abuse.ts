/**
 * Row 8: an honest client's edit round trip while each abuse of issue 12 runs (target: p99
 * within 2× of its baseline). Two honest tablets of one grid worker on grid:g1: A edits a
 * household at a person's pace (one edit each 100 ms), B must see it; the round trip is A's
 * edit until B has it. Baseline first, then each abuse in turn, run in a worker thread
 * (abuse-worker.ts) so that its own work does not delay the honest client's event loop; the
 * server is its own process (the demo street, the same server as `npm start`). Each abuse's
 * p99 is printed against the baseline of the same run.
 */
import { Worker } from 'node:worker_threads';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { addHousehold, listHouseholds, readHousehold, updateHousehold } from '../src/lib/domain/grid-doc.ts';
import type { AbuseJob, AbuseName } from './abuse-worker.ts';
import { sleep, waitUntil } from './lib/clients.ts';
import { cpuSeconds } from './lib/proc.ts';
import { startOurs } from './lib/servers.ts';
import { median, percentile, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface UnderAbuseOptions {
	/** 1 MB updates in the flood (issue: as fast as possible; the user's burst refuses most). */
	floodUpdates: number;
	awarenessMessages: number;
	preLoginSockets: number;
	refusedAuths: number;
	/** Households of the grid whose log the history read pages through. */
	historyHouseholds: number;
	/** Seconds of baseline. */
	baselineSeconds: number;
	runs: number;
	/** Node flags for the server (e.g. --cpu-prof). */
	nodeArgs?: string[];
	/** Only these abuses (default: all). */
	only?: AbuseName[];
}

const ABUSES: { name: AbuseName; label: string }[] = [
	{ name: 'update5mb', label: 'a 5 MB update' },
	{ name: 'flood1mb', label: '1 MB updates as fast as possible from one login' },
	{ name: 'awareness', label: '1,000 awareness messages/s' },
	{ name: 'preLogin', label: 'sockets queueing 5 MB each before login' },
	{ name: 'refusedAuth', label: 'refused authentications' },
	{ name: 'history', label: 'history read of a huge log' }
];

const abusesOf = (options: UnderAbuseOptions) => ABUSES.filter((a) => !options.only || options.only.includes(a.name));

const DEMO_PASSWORD = 'tongxin-demo';

async function login(httpUrl: string, username: string): Promise<string> {
	const res = await fetch(`${httpUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
	if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

function tablet(wsUrl: string, token: string, name = 'grid:g1', doc = new Y.Doc()): { doc: Y.Doc; provider: HocuspocusProvider } {
	return { doc, provider: new HocuspocusProvider({ url: wsUrl, name, document: doc, token }) };
}

function runAbuse(job: AbuseJob): Promise<string> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('./abuse-worker.ts', import.meta.url), { workerData: job });
		worker.once('message', (m: { ok: boolean; line: string }) => {
			void worker.terminate();
			if (m.ok) resolve(m.line);
			else reject(new Error(`${job.abuse}: ${m.line}`));
		});
		worker.once('error', reject);
	});
}

export async function benchUnderAbuse(options: UnderAbuseOptions, log: (line: string) => void): Promise<{ rows: BenchRow[]; runs: unknown[] }> {
	const runs: { baseline: number; baselineCpuPerS: number; abuses: Record<string, { p99: number; n: number; what: string; serverCpuS: number; seconds: number }> }[] = [];
	for (let run = 0; run < options.runs; run++) {
		const server = await startOurs({ grids: 0, demo: true, nodeArgs: options.nodeArgs });
		try {
			const tokens = {
				gridworker: await login(server.httpUrl, 'demo-gridworker'),
				admin: await login(server.httpUrl, 'demo-admin'),
				liaison: await login(server.httpUrl, 'demo-liaison'),
				police: await login(server.httpUrl, 'demo-police')
			};
			// the huge log the history read pages through: a whole grid from one device, as the test's
			const big = new Y.Doc();
			for (let i = 0; i < options.historyHouseholds; i++)
				addHousehold(big, { address: `枫桥街道幸福路${i}号`, lng: 120.1 + i * 1e-5, lat: 29.7, head: '张建华', size: 4, phone: '13800138000', tags: [], colour: 'green' }, 'u-demo-admin');
			const writer = tablet(server.wsUrl, tokens.admin, 'grid:g3', big);
			await waitUntil(() => writer.provider.isSynced && writer.provider.unsyncedChanges === 0, 120_000, 'the big grid written');
			writer.provider.destroy();
			await sleep(3000); // its snapshot and unload, before the baseline

			const a = tablet(server.wsUrl, tokens.gridworker);
			const b = tablet(server.wsUrl, tokens.gridworker);
			await waitUntil(() => a.provider.isSynced && b.provider.isSynced, 30_000, 'honest tablets synced');
			const household = listHouseholds(a.doc)[0].id;
			let edits = 0;
			const roundTrip = async (): Promise<number> => {
				const value = `rt ${++edits}`;
				const start = performance.now();
				const seen = new Promise<void>((resolve) => {
					const check = () => {
						if (readHousehold(b.doc, household)?.head !== value) return;
						b.doc.off('update', check);
						resolve();
					};
					b.doc.on('update', check);
				});
				updateHousehold(a.doc, household, { head: value });
				await Promise.race([seen, sleep(60_000).then(() => Promise.reject(new Error(`the honest peer never saw "${value}"`)))]);
				return performance.now() - start;
			};
			/** Round trips at a person's pace while `work` runs (at least 10). */
			const during = async <T>(work: () => Promise<T>): Promise<{ result: T; samples: number[] }> => {
				let done = false;
				const samples: number[] = [];
				const sampling = (async () => {
					while (!done || samples.length < 10) {
						const ms = await roundTrip();
						samples.push(ms);
						await sleep(Math.max(0, 100 - ms));
					}
				})();
				try {
					return { result: await work(), samples };
				} finally {
					done = true;
					await sampling;
				}
			};
			for (let i = 0; i < 10; i++) await roundTrip(); // warm-up
			const cpuAtBase = cpuSeconds(server.pid);
			const base = await during(() => sleep(options.baselineSeconds * 1000));
			const baseline = percentile(base.samples, 99);
			const baselineCpuPerS = (cpuSeconds(server.pid) - cpuAtBase) / options.baselineSeconds;
			log(`  run ${run + 1}: baseline p99 ${baseline.toFixed(1)} ms over ${base.samples.length} edits; server CPU ${baselineCpuPerS.toFixed(2)} s/s`);
			const entry: (typeof runs)[number] = { baseline, baselineCpuPerS, abuses: {} };
			const counts: Record<AbuseName, number> = {
				update5mb: 1,
				flood1mb: options.floodUpdates,
				awareness: options.awarenessMessages,
				preLogin: options.preLoginSockets,
				refusedAuth: options.refusedAuths,
				history: 1
			};
			for (const { name } of abusesOf(options)) {
				const job: AbuseJob = { abuse: name, wsUrl: server.wsUrl, httpUrl: server.httpUrl, tokens, count: counts[name] };
				const cpuAt = cpuSeconds(server.pid);
				const startedAt = performance.now();
				const { result, samples } = await during(() => runAbuse(job));
				const serverCpuS = cpuSeconds(server.pid) - cpuAt;
				const seconds = (performance.now() - startedAt) / 1000;
				const p99 = percentile(samples, 99);
				entry.abuses[name] = { p99, n: samples.length, what: result, serverCpuS, seconds };
				log(`  run ${run + 1}: ${name}: p99 ${p99.toFixed(1)} ms over ${samples.length} edits (×${(p99 / baseline).toFixed(2)}); server CPU ${serverCpuS.toFixed(2)} s in ${seconds.toFixed(1)} s; ${result}`);
				await sleep(1000); // let the server settle (sockets closed, buckets refilling)
			}
			a.provider.destroy();
			b.provider.destroy();
			runs.push(entry);
		} finally {
			await server.stop();
		}
	}
	const baseline = median(runs.map((r) => r.baseline));
	const rows: BenchRow[] = [makeRow('8. honest edit round trip p99, no abuse (baseline)', 'ms', round(baseline), round(baseline))];
	const counts: Partial<Record<AbuseName, string>> = {
		flood1mb: `${options.floodUpdates} × 1 MB`,
		awareness: `${options.awarenessMessages} messages in ${options.awarenessMessages / 1000} s`,
		preLogin: `${options.preLoginSockets} sockets`,
		refusedAuth: `${options.refusedAuths}`,
		history: `${options.historyHouseholds} households`
	};
	for (const { name, label } of abusesOf(options)) {
		const p99 = median(runs.map((r) => r.abuses[name].p99));
		const cpu = median(runs.map((r) => r.abuses[name].serverCpuS));
		const seconds = median(runs.map((r) => r.abuses[name].seconds));
		rows.push(
			makeRow(`8. … during ${label}${counts[name] ? ` (${counts[name]})` : ''} vs baseline`, 'ms', round(p99), round(baseline), `server CPU ${cpu.toFixed(2)} s over the ${seconds.toFixed(1)} s it ran`)
		);
	}
	return { rows, runs };
}
