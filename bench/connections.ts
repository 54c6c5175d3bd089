/**
 * Row 6 of issue 6 ("load"): many concurrent WebSocket connections held open, each syncing.
 * By default 500 connections (25 grid documents × 20 clients, each its own socket) held for
 * 60 s, every client changing its household once every 5 s: the load process of row 1
 * (bench/load.ts, its own process) with those settings, against ours and the reference.
 *
 * While it runs, the server's resident memory is sampled from /proc every second. Reported:
 * errors (refused or dropped connections, replicas that did not converge), time until every
 * connection had synced, edit-to-peer p99, server CPU, max RSS, and whether RSS stays
 * bounded: its growth from the first to the last quarter of the hold (a leak shows as steady
 * growth; a bounded server levels off once everyone is connected), and RSS once the clients
 * have left.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { sleep } from './lib/clients.ts';
import { cpuSeconds, rssBytes } from './lib/proc.ts';
import { benchGridIds, startOurs, startReference, type RunningServer } from './lib/servers.ts';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface ConnectionsOptions {
	docs: number;
	clientsPerDoc: number;
	seconds: number;
	/** Seconds between two edits of one client. */
	editEvery: number;
	runs: number;
}

type Target = 'ours' | 'reference';

interface RssSample {
	/** Seconds since the load process started. */
	t: number;
	phase: 'connecting' | 'holding' | 'draining' | 'left';
	mb: number;
}

export interface ConnectionsFigures {
	result: LoadResult;
	serverCpuSeconds: number;
	maxRssMb: number;
	rssHoldStartMb: number;
	rssHoldEndMb: number;
	/** Mean RSS of the last quarter of the hold minus that of the first quarter. */
	rssGrowthMb: number;
	rssAfterLeavingMb: number;
	samples: RssSample[];
}

const MB = 2 ** 20;
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

function runLoad(server: RunningServer, options: ConnectionsOptions): Promise<ConnectionsFigures> {
	const load: LoadOptions = {
		target: server.name,
		wsUrl: server.wsUrl,
		token: server.token,
		docNames: benchGridIds(options.docs).map(gridDocName),
		editors: options.docs * options.clientsPerDoc,
		rate: 1 / options.editEvery,
		seconds: options.seconds
	};
	const child = spawn(process.execPath, [resolve(import.meta.dirname, 'load.ts'), JSON.stringify(load)], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
	const started = performance.now();
	const samples: RssSample[] = [];
	let phase: RssSample['phase'] = 'connecting';
	const sample = () => samples.push({ t: round((performance.now() - started) / 1000, 1), phase, mb: round(rssBytes(server.pid) / MB, 1) });
	const sampler = setInterval(sample, 1000);
	return new Promise<{ result: LoadResult; cpu: number }>((resolvePromise, reject) => {
		let cpuStart = 0;
		let cpuEnd = NaN;
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
				if (msg.event === 'measuring') {
					sample();
					phase = 'holding';
					cpuStart = cpuSeconds(server.pid);
				} else if (msg.event === 'edits-done') {
					cpuEnd = cpuSeconds(server.pid);
					sample();
					phase = 'draining';
				} else if (msg.event === 'done' && msg.result) resolvePromise({ result: msg.result, cpu: round(cpuEnd - cpuStart) });
				else if (msg.event === 'failed') reject(new Error(`load process failed against ${server.name}: ${msg.error}\nserver output:\n${server.output()}`));
			}
		});
		child.once('exit', (code) => {
			if (code !== 0) reject(new Error(`load process exited ${code} against ${server.name}:\n${stderr}\nserver output:\n${server.output()}`));
		});
	})
		.then(async ({ result, cpu }) => {
			// The clients leave; give the server a few seconds to unload the documents.
			await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
			phase = 'left';
			await sleep(5_000);
			sample();
			return { result, cpu };
		})
		.finally(() => clearInterval(sampler))
		.then(({ result, cpu }) => {
			const hold = samples.filter((s) => s.phase === 'holding');
			const quarter = Math.max(1, Math.floor(hold.length / 4));
			return {
				result,
				serverCpuSeconds: cpu,
				maxRssMb: Math.max(...samples.map((s) => s.mb)),
				rssHoldStartMb: hold[0]?.mb ?? NaN,
				rssHoldEndMb: hold[hold.length - 1]?.mb ?? NaN,
				rssGrowthMb: round(mean(hold.slice(-quarter).map((s) => s.mb)) - mean(hold.slice(0, quarter).map((s) => s.mb)), 1),
				rssAfterLeavingMb: samples[samples.length - 1].mb,
				samples
			};
		});
}

async function once(target: Target, options: ConnectionsOptions): Promise<ConnectionsFigures> {
	const server = target === 'ours' ? await startOurs({ grids: options.docs }) : await startReference();
	try {
		return await runLoad(server, options);
	} finally {
		await server.stop();
	}
}

export async function benchConnections(
	options: ConnectionsOptions,
	progress: (line: string) => void
): Promise<{ rows: BenchRow[]; runs: Record<Target, ConnectionsFigures[]> }> {
	const runs: Record<Target, ConnectionsFigures[]> = { ours: [], reference: [] };
	for (let i = 0; i < options.runs; i++) {
		const order: Target[] = i % 2 === 0 ? ['reference', 'ours'] : ['ours', 'reference'];
		for (const target of order) {
			const f = await once(target, options);
			runs[target].push(f);
			const r = f.result;
			progress(
				`  run ${i + 1}/${options.runs} ${target.padEnd(9)} ${r.editors} connections synced in ${r.connectMs} ms, ${r.edits} edits, ` +
					`${r.errors} errors ${JSON.stringify(r.errorDetail)}, p99 ${r.latencyMs.p99} ms, server CPU ${f.serverCpuSeconds} s, ` +
					`RSS max ${f.maxRssMb} MB (hold ${f.rssHoldStartMb} → ${f.rssHoldEndMb}, growth ${f.rssGrowthMb}), after leaving ${f.rssAfterLeavingMb} MB, ` +
					`load process loop p99 ${r.loadLoopDelayP99Ms} ms, machine load ${loadavg()[0].toFixed(1)}`
			);
		}
	}
	const med = (t: Target, f: (x: ConnectionsFigures) => number) => round(median(runs[t].map(f)));
	const sum = (t: Target) => runs[t].reduce((s, x) => s + x.result.errors, 0);
	const label = `6. load ${options.docs * options.clientsPerDoc} connections (${options.docs} docs × ${options.clientsPerDoc}) held ${options.seconds}s, 1 edit/${options.editEvery}s each`;
	const growth = med('ours', (x) => x.rssGrowthMb);
	return {
		rows: [
			makeRow(`${label}: errors (sum of runs)`, 'count', sum('ours'), sum('reference')),
			makeRow(`${label}: all connected and synced`, 'ms', med('ours', (x) => x.result.connectMs), med('reference', (x) => x.result.connectMs)),
			makeRow(`${label}: edit-to-peer p99`, 'ms', med('ours', (x) => x.result.latencyMs.p99), med('reference', (x) => x.result.latencyMs.p99)),
			makeRow(`${label}: server CPU while holding`, 's', med('ours', (x) => x.serverCpuSeconds), med('reference', (x) => x.serverCpuSeconds)),
			makeRow(`${label}: server max RSS`, 'MB', med('ours', (x) => x.maxRssMb), med('reference', (x) => x.maxRssMb)),
			makeRow(
				`${label}: RSS growth, first → last quarter of the hold`,
				'MB',
				growth,
				med('reference', (x) => x.rssGrowthMb),
				'bounded = RSS levels off while the connections are held (growth near 0), not a steady climb'
			),
			makeRow(`${label}: server RSS 5 s after the clients left`, 'MB', med('ours', (x) => x.rssAfterLeavingMb), med('reference', (x) => x.rssAfterLeavingMb)),
			makeRow(
				`${label}: load process event-loop delay p99`,
				'ms',
				med('ours', (x) => x.result.loadLoopDelayP99Ms),
				med('reference', (x) => x.result.loadLoopDelayP99Ms),
				'the clients\' own stall: when high, the latencies above measure the shared machine more than the server'
			)
		],
		runs
	};
}
