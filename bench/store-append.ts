/**
 * `node bench/store-append.ts [--appends 2000] [--runs 3]`
 *
 * The PostgreSQL store against the SQLite one (issue 10), both through the async contract, in
 * one run on this machine: ours = PgStore on a temporary database of the local server
 * (DATABASE_URL for another admin connection), reference = SqliteAsyncStore on a temporary file.
 * - append latency, p50 and p99: one awaited append after another of 2,000 real Yjs updates
 *   of a grid (100 households registered, then 1,900 single-field edits), as the persistence
 *   extension writes them before each acknowledgement;
 * - loading that document: reading its 2,000 updates (updatesAfter) and applying them to a
 *   fresh Y.Doc, median of `--runs`;
 * - 16 appenders at once on one document (two instances on PostgreSQL, each with 8), ms per
 *   append: what a busy session costs when two servers share it.
 * PostgreSQL commits with synchronous_commit = on (a WAL flush per append); SQLite's default
 * here is synchronous = NORMAL (no fsync per append), so the note also gives SQLite with FULL.
 * Read the ratios, not the bare times: the machine is shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import type { AsyncStore } from '../src/lib/server/async-store.ts';
import { updateHousehold } from '../src/lib/domain/grid-doc.ts';
import { PgStore } from '../server/store/pg-store.ts';
import { createTempDatabase } from '../server/store/pg-test-database.ts';
import { SqliteAsyncStore } from '../server/store/sqlite-async-store.ts';
import { SqliteStore } from '../server/store/sqlite-store.ts';
import { fillGrid } from './lib/households.ts';
import { median, percentile, round } from './lib/stats.ts';
import { formatTable, makeRow } from './lib/table.ts';

const { values } = parseArgs({ options: { appends: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
const appends = Number(values.appends);
const runs = Number(values.runs);

/** `count` real updates of one grid document, each as a client would send it. */
function gridUpdates(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const households = Math.min(100, Math.floor(count / 2));
	fillGrid(doc, households);
	for (let i = 0; updates.length < count; i++) {
		const id = `h${String(i % households).padStart(5, '0')}`;
		updateHousehold(doc, id, i % 2 ? { size: (i % 9) + 1 } : { phone: `139 ${String(i).padStart(8, '0')}` });
	}
	return updates.slice(0, count);
}

async function appendLatencies(store: AsyncStore, doc: string, updates: readonly Uint8Array[]): Promise<number[]> {
	const ms: number[] = [];
	for (const u of updates) {
		const t = performance.now();
		await store.appendUpdate(doc, 'bench', u);
		ms.push(performance.now() - t);
	}
	return ms;
}

async function loadTimes(store: AsyncStore, doc: string): Promise<{ read: number; apply: number }> {
	const read: number[] = [];
	const apply: number[] = [];
	for (let r = 0; r < runs; r++) {
		const t0 = performance.now();
		const log = await store.updatesAfter(doc, 0);
		const t1 = performance.now();
		const ydoc = new Y.Doc();
		Y.transact(ydoc, () => {
			for (const u of log) Y.applyUpdate(ydoc, u.update);
		});
		const t2 = performance.now();
		if (log.length !== appends) throw new Error(`read ${log.length} updates, expected ${appends}`);
		read.push(t1 - t0);
		apply.push(t2 - t0);
		ydoc.destroy();
	}
	return { read: median(read), apply: median(apply) };
}

/** ms per append with 16 appenders on one document, split over `instances`. */
async function concurrent(instances: readonly AsyncStore[], doc: string, update: Uint8Array, each: number): Promise<number> {
	const perInstance = 16 / instances.length;
	const t = performance.now();
	await Promise.all(
		instances.flatMap((s) =>
			Array.from({ length: perInstance }, async () => {
				for (let i = 0; i < each; i++) await s.appendUpdate(doc, 'bench', update);
			})
		)
	);
	const total = 16 * each;
	if ((await instances[0].lastSeq(doc)) !== total) throw new Error('concurrent appends lost or duplicated a sequence');
	return (performance.now() - t) / total;
}

const updates = gridUpdates(appends);
const dir = mkdtempSync(join(tmpdir(), 'tongxin-store-bench-'));
const pgDb = await createTempDatabase('tongxin_bench');
const sqlite = SqliteAsyncStore.open(join(dir, 'normal.sqlite'));
const sqliteFull = new SqliteAsyncStore(new SqliteStore(join(dir, 'full.sqlite'), { synchronous: 'FULL' }));
const pgA = await PgStore.open(pgDb.url, { poolSize: 8 });
const pgB = await PgStore.open(pgDb.url, { poolSize: 8 });
try {
	const sqliteMs = await appendLatencies(sqlite, 'grid:bench', updates);
	const pgMs = await appendLatencies(pgA, 'grid:bench', updates);
	const fullMs = await appendLatencies(sqliteFull, 'grid:bench', updates.slice(0, Math.min(500, appends)));
	const sqliteLoad = await loadTimes(sqlite, 'grid:bench');
	const pgLoad = await loadTimes(pgA, 'grid:bench');
	const each = 25;
	const sqliteConcurrent = await concurrent([sqlite], 'grid:busy', updates[200], each);
	const pgConcurrent = await concurrent([pgA, pgB], 'grid:busy', updates[200], each);
	const rows = [
		makeRow('append p50', 'ms', round(percentile(pgMs, 50), 3), round(percentile(sqliteMs, 50), 3)),
		makeRow('append p99', 'ms', round(percentile(pgMs, 99), 3), round(percentile(sqliteMs, 99), 3),
			`SQLite with synchronous=FULL: p50 ${round(percentile(fullMs, 50), 3)} ms, p99 ${round(percentile(fullMs, 99), 3)} ms (${fullMs.length} appends)`),
		makeRow(`load ${appends} updates: read`, 'ms', round(pgLoad.read, 1), round(sqliteLoad.read, 1)),
		makeRow(`load ${appends} updates: read + apply to a Y.Doc`, 'ms', round(pgLoad.apply, 1), round(sqliteLoad.apply, 1)),
		makeRow('16 appenders on one document', 'ms/append', round(pgConcurrent, 3), round(sqliteConcurrent, 3),
			'PostgreSQL: two instances (pools) of 8 appenders; SQLite: one instance')
	];
	console.log(`ours = PostgreSQL (PgStore), reference = SQLite (SqliteAsyncStore, synchronous=NORMAL); ${appends} appends, ${runs} load runs\n`);
	console.log(formatTable(rows));
} finally {
	await Promise.all([sqlite.close(), sqliteFull.close(), pgA.close(), pgB.close()]);
	await pgDb.drop();
	rmSync(dir, { recursive: true, force: true });
}
