/**
 * `npm run bench -- [--quick] [--runs N] [--rows 1,2,3,4,5,6,7,8] [--editors N --docs M --rate K --seconds T]
 *   [--synchronous NORMAL]` (row 1 against our server with SQLITE_SYNCHRONOUS=NORMAL instead of FULL)
 *   [--sockets N --auths N --floods N --households N] (row 8: the pre-login sockets, refused
 *   authentications, 1 MB updates and the history grid's households; --abuses preLogin,awareness
 *   to pick; --server-args='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server)
 *
 * Prints one table — row, ours, reference (measured in the same run), ratio — and writes the
 * same figures as JSON to bench/results/<timestamp>.json. Figures are medians over `--runs`
 * repetitions (default 3; 1 with --quick). Each server and each load generator is its own
 * process. The machine is shared and noisy: read the ratios, not the bare times.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCatchUp } from './catch-up.ts';
import { benchColdOpen } from './cold-open.ts';
import { benchConnections } from './connections.ts';
import { benchMapPaint } from './map-paint.ts';
import { benchLogWrite } from './log-write.ts';
import { benchMemory } from './memory.ts';
import { benchStorage } from './storage.ts';
import { benchSyncUnderLoad } from './sync-under-load.ts';
import { benchUnderAbuse } from './under-abuse.ts';
import type { AbuseName } from './abuse-worker.ts';
import { formatTable, type BenchRow } from './lib/table.ts';

const { values } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		runs: { type: 'string' },
		rows: { type: 'string', default: '1,2,3,4,5,6,7,8' },
		sockets: { type: 'string' },
		auths: { type: 'string' },
		floods: { type: 'string' },
		households: { type: 'string' },
		'server-args': { type: 'string' },
		abuses: { type: 'string' },
		editors: { type: 'string' },
		docs: { type: 'string' },
		rate: { type: 'string' },
		seconds: { type: 'string' },
		synchronous: { type: 'string' },
		only: { type: 'string' },
		plain: { type: 'boolean', default: true },
		'no-plain': { type: 'boolean', default: false }
	}
});

const quick = values.quick;
const num = (v: string | undefined, dflt: number) => (v === undefined ? dflt : Number(v));
const rowsWanted = new Set(values.rows.split(',').map((s) => s.trim()));
const log = (line: string) => console.error(line);

const rows: BenchRow[] = [];
const details: Record<string, unknown> = {};
const started = new Date();

if (rowsWanted.has('1')) {
	const options = {
		editors: num(values.editors, quick ? 20 : 100),
		docs: num(values.docs, quick ? 5 : 20),
		rate: num(values.rate, 2),
		seconds: num(values.seconds, quick ? 5 : 20),
		runs: num(values.runs, quick ? 1 : 3),
		only: values.only === 'ours' || values.only === 'reference' || values.only === 'hocuspocus' ? (values.only as 'ours' | 'reference' | 'hocuspocus') : undefined,
		plain: !values['no-plain'],
		synchronous: values.synchronous === 'NORMAL' ? ('NORMAL' as const) : ('FULL' as const)
	};
	log(`row 1: sync under load ${JSON.stringify(options)}`);
	const r = await benchSyncUnderLoad(options, log);
	rows.push(...r.rows);
	details.syncUnderLoad = { options, runs: r.runs };
}

if (rowsWanted.has('2')) {
	const options = { households: 5000, edits: 1000, runs: num(values.runs, quick ? 2 : 5) };
	log(`row 2: cold open in Chromium ${JSON.stringify(options)}`);
	const r = await benchColdOpen(options, log);
	rows.push(...r.rows);
	details.coldOpen = { options, runs: r.runs };
	const paint = { households: 5000, runs: num(values.runs, quick ? 2 : 5) };
	log(`row 2: navigation → map painted in Chromium ${JSON.stringify(paint)}`);
	const p = await benchMapPaint(paint, log);
	rows.push(...p.rows);
	details.mapPaint = { options: paint, runs: p.runs, notes: p.notes };
}

if (rowsWanted.has('3')) {
	const options = { edits: 1000, households: 200, runs: num(values.runs, quick ? 1 : 3) };
	log(`row 3: catch-up ${JSON.stringify(options)}`);
	const r = await benchCatchUp(options, log);
	rows.push(...r.rows);
	details.catchUp = { options, runs: r.runs };
}

if (rowsWanted.has('4')) {
	const options = { docs: quick ? 2 : 5, households: 1000, runs: num(values.runs, quick ? 1 : 3) };
	log(`row 4: server memory ${JSON.stringify(options)}`);
	const r = await benchMemory(options, log);
	rows.push(...r.rows);
	details.memory = { options, runs: r.runs };
}

if (rowsWanted.has('5')) {
	const options = { households: 1000, edits: 1000 };
	log(`row 5: storage ${JSON.stringify(options)}`);
	const r = await benchStorage(options, log);
	rows.push(...r.rows);
	details.storage = { options, figures: r.figures };
}

if (rowsWanted.has('6')) {
	// One run per server by default: each holds its connections for a full minute.
	const options = { docs: quick ? 5 : 25, clientsPerDoc: 20, seconds: quick ? 10 : 60, editEvery: 5, runs: num(values.runs, 1) };
	log(`row 6: load, concurrent connections ${JSON.stringify(options)}`);
	const r = await benchConnections(options, log);
	rows.push(...r.rows);
	details.connections = { options, runs: r.runs };
}

if (rowsWanted.has('7')) {
	const options = { appends: quick ? 500 : 2000, batch: 10, runs: num(values.runs, quick ? 1 : 3) };
	log(`row 7: log write ${JSON.stringify(options)}`);
	const r = await benchLogWrite(options, log);
	rows.push(...r.rows);
	details.logWrite = { options, runs: r.runs };
}

if (rowsWanted.has('8')) {
	const options = {
		floodUpdates: num(values.floods, quick ? 8 : 20),
		awarenessMessages: 5000, // 1,000 a second for 5 s
		preLoginSockets: num(values.sockets, quick ? 50 : 100),
		refusedAuths: num(values.auths, quick ? 500 : 2000),
		historyHouseholds: num(values.households, quick ? 1000 : 5000),
		baselineSeconds: 5,
		only: values.abuses ? (values.abuses.split(',') as AbuseName[]) : undefined,
		runs: num(values.runs, 1),
		nodeArgs: values['server-args'] ? values['server-args'].split(' ').filter(Boolean) : undefined
	};
	log(`row 8: honest edit round trip under abuse ${JSON.stringify(options)}`);
	const r = await benchUnderAbuse(options, log);
	rows.push(...r.rows);
	details.underAbuse = { options, runs: r.runs };
}

console.log(formatTable(rows));
const dir = resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = resolve(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
	file,
	JSON.stringify({ startedAt: started.toISOString(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), node: process.version, cpus: cpus().length, rows, details }, null, 2)
);
console.log(`\nwritten to ${file}`);
// The reference's y-websocket clients leave awareness timers behind after destroy(); do not wait for them.
process.exit(0);
