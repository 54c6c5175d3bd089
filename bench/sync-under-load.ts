/**
 * Row 1 of issue 6: sync under load. The same load (bench/load.ts, its own process) against our
 * server and against the reference @y/websocket-server, alternating, each on a fresh server
 * process; figures are medians over the repetitions. Also reports the server process's CPU
 * seconds during the measured window (from /proc), since both run on the same two cores.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { cpuSeconds, rssBytes } from './lib/proc.ts';
import { benchGridIds, startOurs, startPlainHocuspocus, startReference, type RunningServer } from './lib/servers.ts';

type Target = 'ours' | 'reference' | 'hocuspocus';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface SyncLoadOptions {
	editors: number;
	docs: number;
	rate: number;
	seconds: number;
	runs: number;
	/** Measure only one server (for iterating); the default is all. */
	only?: Target;
	/** Also measure plain Hocuspocus 4 (no auth, no persistence), to split our cost from its. */
	plain: boolean;
	/** Our server's SQLITE_SYNCHRONOUS (default FULL: every logged update fsynced before its ack). */
	synchronous?: 'FULL' | 'NORMAL';
}

interface RunFigures {
	result: LoadResult;
	/** Ours only: rows in the update log after the run (edits + one registration per editor). */
	loggedUpdates?: number;
	serverCpuSeconds: number;
	serverRssMb: number;
}

function runLoad(server: RunningServer, options: SyncLoadOptions): Promise<RunFigures> {
	const load: LoadOptions = {
		target: server.name,
		wsUrl: server.wsUrl,
		token: server.token,
		docNames: benchGridIds(options.docs).map(gridDocName),
		editors: options.editors,
		rate: options.rate,
		seconds: options.seconds
	};
	const child = spawn(process.execPath, [resolve(import.meta.dirname, 'load.ts'), JSON.stringify(load)], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
	return new Promise((resolvePromise, reject) => {
		let cpuStart = 0;
		let cpuEnd = NaN;
		let rss = NaN;
		let buffer = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			let nl: number;
			while ((nl = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				let msg: { event?: string; result?: LoadResult; error?: string };
				try {
					msg = JSON.parse(line);
				} catch {
					continue;
				}
				if (msg.event === 'measuring') cpuStart = cpuSeconds(server.pid);
				else if (msg.event === 'edits-done') {
					cpuEnd = cpuSeconds(server.pid);
					rss = rssBytes(server.pid);
				} else if (msg.event === 'done' && msg.result)
					resolvePromise({ result: msg.result, serverCpuSeconds: round(cpuEnd - cpuStart), serverRssMb: round(rss / 2 ** 20, 1) });
				else if (msg.event === 'failed') reject(new Error(`load process failed against ${server.name}: ${msg.error}\nserver output:\n${server.output()}`));
			}
		});
		child.once('exit', (code) => {
			if (code !== 0) reject(new Error(`load process exited ${code} against ${server.name}:\n${stderr}\nserver output:\n${server.output()}`));
		});
	});
}

async function once(target: Target, options: SyncLoadOptions): Promise<RunFigures> {
	const server =
		target === 'ours' ? await startOurs({ grids: options.docs, env: { SQLITE_SYNCHRONOUS: options.synchronous ?? 'FULL' } }) : target === 'reference' ? await startReference() : await startPlainHocuspocus();
	try {
		const figures = await runLoad(server, options);
		figures.loggedUpdates = loggedUpdates(server);
		return figures;
	} finally {
		await server.stop();
	}
}

const sumErrors = (runs: RunFigures[]): number | null => (runs.length === 0 ? null : runs.reduce((s, x) => s + x.result.errors, 0));

/** Rows in our update log (every acknowledged edit must be there), read beside the running server. */
function loggedUpdates(server: RunningServer): number | undefined {
	if (!server.dataDir) return undefined;
	const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'), { readOnly: true });
	try {
		return Number((db.prepare('SELECT COUNT(*) AS n FROM doc_updates').get() as { n: number }).n);
	} finally {
		db.close();
	}
}

export async function benchSyncUnderLoad(options: SyncLoadOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<string, RunFigures[]> }> {
	const runs: Record<Target, RunFigures[]> = { ours: [], reference: [], hocuspocus: [] };
	for (let i = 0; i < options.runs; i++) {
		// Alternate which goes first, so drift in the machine's load hits both alike.
		const all: Target[] = options.plain ? ['reference', 'hocuspocus', 'ours'] : ['reference', 'ours'];
		const order = i % 2 === 0 ? all : [...all].reverse();
		for (const target of order.filter((t) => !options.only || t === options.only)) {
			const figures = await once(target, options);
			runs[target].push(figures);
			const r = figures.result;
			progress(
				`  run ${i + 1}/${options.runs} ${target.padEnd(9)} p50 ${r.latencyMs.p50} p95 ${r.latencyMs.p95} p99 ${r.latencyMs.p99} ms, ` +
					(r.ackLatencyMs ? `ack p50 ${r.ackLatencyMs.p50} p99 ${r.ackLatencyMs.p99} ms, ` : '') +
					`${r.edits} edits, ${r.delivered}/${r.expectedDeliveries} deliveries, ${r.errors} errors, server CPU ${figures.serverCpuSeconds} s, load loop p99 ${r.loadLoopDelayP99Ms} ms` +
					(figures.loggedUpdates !== undefined ? `, ${figures.loggedUpdates} updates in the log` : '')
			);
		}
	}
	const med = (t: Target, f: (x: RunFigures) => number) => round(median(runs[t].map(f)));
	const label = `1. sync ${options.editors} editors × ${options.docs} docs × ${options.rate}/s × ${options.seconds}s${options.synchronous === 'NORMAL' ? ' (synchronous=NORMAL)' : ''}`;
	const ack = (t: Target, f: (a: NonNullable<LoadResult['ackLatencyMs']>) => number) =>
		runs[t].length === 0 || runs[t].some((x) => !x.result.ackLatencyMs) ? null : med(t, (x) => f(x.result.ackLatencyMs!));
	const rows = [
		makeRow(`${label}: edit-to-peer p50`, 'ms', med('ours', (x) => x.result.latencyMs.p50), med('reference', (x) => x.result.latencyMs.p50)),
		makeRow(`${label}: edit-to-peer p95`, 'ms', med('ours', (x) => x.result.latencyMs.p95), med('reference', (x) => x.result.latencyMs.p95)),
		makeRow(`${label}: edit-to-peer p99`, 'ms', med('ours', (x) => x.result.latencyMs.p99), med('reference', (x) => x.result.latencyMs.p99)),
		makeRow(
			`${label}: sender's edit-to-ack p99`,
			'ms',
			ack('ours', (a) => a.p99),
			ack('hocuspocus', (a) => a.p99),
			'reference column = plain Hocuspocus 4 (acks without writing anything); y-websocket has no acks'
		),
		makeRow(`${label}: sender's edit-to-ack p50`, 'ms', ack('ours', (a) => a.p50), ack('hocuspocus', (a) => a.p50)),
		makeRow(`${label}: errors (sum of runs)`, 'count', sumErrors(runs.ours), sumErrors(runs.reference)),
		makeRow(`${label}: server CPU while editing`, 's', med('ours', (x) => x.serverCpuSeconds), med('reference', (x) => x.serverCpuSeconds)),
		makeRow(`${label}: server RSS at end`, 'MB', med('ours', (x) => x.serverRssMb), med('reference', (x) => x.serverRssMb))
	];
	if (options.plain) {
		// Same load against plain Hocuspocus: the reference column here is Hocuspocus without our extensions.
		const vs = `${label}, ours vs plain Hocuspocus 4`;
		rows.push(
			makeRow(`${vs}: p50`, 'ms', med('ours', (x) => x.result.latencyMs.p50), med('hocuspocus', (x) => x.result.latencyMs.p50), 'reference column = plain Hocuspocus 4 in memory, no auth/persistence'),
			makeRow(`${vs}: p99`, 'ms', med('ours', (x) => x.result.latencyMs.p99), med('hocuspocus', (x) => x.result.latencyMs.p99)),
			makeRow(`${vs}: server CPU`, 's', med('ours', (x) => x.serverCpuSeconds), med('hocuspocus', (x) => x.serverCpuSeconds))
		);
	}
	return { rows, runs };
}
