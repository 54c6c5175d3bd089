/**
 * Row 7: what writing the update log costs the server's event loop, since node:sqlite is
 * synchronous and anything it waits for (an fsync) stalls every socket. The same appends
 * (a 120-byte update each) to a fresh SQLite file, three ways, in the same run:
 * - ours: group commit (SqliteStore.appendUpdatesDurably, batches of `batch`), durable against
 *   power loss, its fsync in libuv's thread pool;
 * - synchronous=FULL, one commit per update: as durable, every fsync on the event loop;
 * - synchronous=NORMAL, one commit per update: survives a killed process, not a power cut.
 * Reported: event-loop time blocked per append (what delays everyone else) and wall time per
 * append until it is durable (what delays the sender's ack).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../server/store/sqlite-store.ts';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface LogWriteOptions {
	appends: number;
	batch: number;
	runs: number;
}

interface Figures {
	blockedMsPerAppend: number;
	wallMsPerAppend: number;
}

type Way = 'groupCommit' | 'full' | 'normal';

async function once(way: Way, options: LogWriteOptions): Promise<Figures> {
	const dir = mkdtempSync(join(tmpdir(), 'tongxin-logwrite-'));
	const store = new SqliteStore(join(dir, 'tongxin.sqlite'), { synchronous: way === 'normal' ? 'NORMAL' : 'FULL' });
	const update = new Uint8Array(120).fill(7);
	let blocked = 0;
	const start = performance.now();
	try {
		if (way === 'groupCommit') {
			for (let i = 0; i < options.appends; i += options.batch) {
				const t = performance.now();
				const done = store.appendUpdatesDurably(Array.from({ length: options.batch }, () => ({ doc: 'grid:bench', userId: 'bench', update })));
				blocked += performance.now() - t;
				await done;
			}
		} else {
			for (let i = 0; i < options.appends; i++) {
				const t = performance.now();
				store.appendUpdate('grid:bench', 'bench', update);
				blocked += performance.now() - t;
			}
		}
		const wall = performance.now() - start;
		return { blockedMsPerAppend: blocked / options.appends, wallMsPerAppend: wall / options.appends };
	} finally {
		store.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function benchLogWrite(options: LogWriteOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<Way, Figures[]> }> {
	const runs: Record<Way, Figures[]> = { groupCommit: [], full: [], normal: [] };
	for (let i = 0; i < options.runs; i++) {
		for (const way of ['groupCommit', 'full', 'normal'] as const) {
			const f = await once(way, options);
			runs[way].push(f);
			progress(`  run ${i + 1}/${options.runs} ${way.padEnd(11)} blocked ${f.blockedMsPerAppend.toFixed(3)} ms/append, wall ${f.wallMsPerAppend.toFixed(3)} ms/append`);
		}
	}
	const med = (way: Way, f: (x: Figures) => number) => round(median(runs[way].map(f)), 3);
	const label = `7. log write, ${options.appends} appends (group commit: batches of ${options.batch})`;
	return {
		rows: [
			makeRow(`${label}: event loop blocked per append, vs synchronous=FULL per update`, 'ms', med('groupCommit', (x) => x.blockedMsPerAppend), med('full', (x) => x.blockedMsPerAppend), 'both survive power loss; ours fsyncs off the event loop'),
			makeRow(`${label}: until durable per append, vs synchronous=FULL per update`, 'ms', med('groupCommit', (x) => x.wallMsPerAppend), med('full', (x) => x.wallMsPerAppend)),
			makeRow(`${label}: event loop blocked per append, vs synchronous=NORMAL per update`, 'ms', med('groupCommit', (x) => x.blockedMsPerAppend), med('normal', (x) => x.blockedMsPerAppend), 'reference survives a killed process, not a power cut')
		],
		runs
	};
}
