/**
 * Row 5 of issue 6: storage, on our server (the reference keeps nothing on disk). What the
 * SQLite database really holds, in pages in use (page_count − freelist_count, × page_size:
 * rows, indexes, page overhead; read through a second connection, so the WAL counts too),
 * beyond the same database before the grid was written, compared with the same households as
 * plain JSON records:
 * - per household after a 1,000-household grid is pushed by one client and the snapshot is
 *   written when it leaves (one log row holding the registration + the snapshot);
 * - per single-field edit over 1,000 edits, each its own message (the log is never trimmed: it
 *   is the audit record), against one household's JSON record, what a plain record store
 *   would rewrite per edit;
 * - per household at the end, after the edits and the final snapshot.
 * The log against the clients' raw updates and a load against Y.encodeStateAsUpdate are
 * printed and kept in the JSON as checks (equal by construction), not as rows.
 * Sizes are deterministic, so this row runs once.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import { listHouseholds, updateHousehold } from '../src/lib/domain/grid-doc.ts';
import { benchClient, sleep, waitUntil } from './lib/clients.ts';
import { fillGrid } from './lib/households.ts';
import { startOurs } from './lib/servers.ts';
import { round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface StorageOptions {
	households: number;
	edits: number;
}

export async function benchStorage(options: StorageOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; figures: Record<string, number> }> {
	const server = await startOurs({ grids: 1 });
	const name = gridDocName('bench1');
	const file = join(server.dataDir!, 'tongxin.sqlite');
	const query = <T>(sql: string): T => {
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			return db.prepare(sql).get(name) as T;
		} finally {
			db.close();
		}
	};
	const latestSnapshot = () => query<{ seq: number; bytes: number } | undefined>('SELECT seq, LENGTH(state) AS bytes FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1');
	const logBytes = () => query<{ rows: number; bytes: number }>('SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(update_bytes)), 0) AS bytes FROM doc_updates WHERE doc = ?');
	const usedBytes = () => {
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			const pragma = (name: string) => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[0]);
			return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
		} finally {
			db.close();
		}
	};
	const tailBytes = (seq: number) => {
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			return (db.prepare('SELECT COALESCE(SUM(LENGTH(update_bytes)), 0) AS bytes FROM doc_updates WHERE doc = ? AND seq > ?').get(name, seq) as { bytes: number }).bytes;
		} finally {
			db.close();
		}
	};
	try {
		const emptyBytes = usedBytes();
		// 1. Register the households and leave: the server writes a snapshot.
		const source = new Y.Doc();
		const rawUpdates: number[] = [];
		source.on('update', (u: Uint8Array) => rawUpdates.push(u.length));
		fillGrid(source, options.households);
		const writer = benchClient(server, name, source);
		await writer.synced;
		await waitUntil(() => writer.acknowledged(), 30_000, 'registration acknowledged');
		writer.destroy();
		await waitUntil(() => latestSnapshot() !== undefined, 15_000, 'snapshot after the last client left');
		const snapshotBytes = latestSnapshot()!.bytes;
		const jsonBytes = Buffer.byteLength(JSON.stringify(listHouseholds(source)));
		const registeredBytes = usedBytes();
		progress(
			`  ${options.households} households: database +${registeredBytes - emptyBytes} bytes in use (snapshot ${snapshotBytes} bytes); plain JSON ${jsonBytes} bytes`
		);

		// 2. Edit one field at a time, each edit its own message.
		const editor = benchClient(server, name);
		await editor.synced;
		editor.doc.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin === 'bench-edit') rawUpdates.push(u.length);
		});
		const ids = listHouseholds(editor.doc).map((h) => h.id);
		for (let i = 0; i < options.edits; i++) {
			editor.doc.transact(() => updateHousehold(editor.doc, ids[(i * 7919) % ids.length], i % 2 ? { size: (i % 9) + 1 } : { head: `户主${i}` }), 'bench-edit');
			if (i % 50 === 49) await sleep(5);
		}
		await waitUntil(() => editor.acknowledged(), 60_000, 'edits acknowledged');
		const log = logBytes();
		const rawSum = rawUpdates.reduce((s, v) => s + v, 0);
		const yjsState = Y.encodeStateAsUpdate(editor.doc).length;
		progress(`  update log after ${options.edits} edits: ${log.rows} rows, ${log.bytes} bytes (raw Yjs updates ${rawSum} bytes)`);

		// 3. Leave again: final snapshot; what a load reads now.
		editor.destroy();
		await waitUntil(() => (latestSnapshot()?.seq ?? 0) >= log.rows, 15_000, 'final snapshot');
		const snap = latestSnapshot()!;
		const loadBytes = snap.bytes + tailBytes(snap.seq);
		const editedBytes = usedBytes();
		const finalJsonBytes = Buffer.byteLength(JSON.stringify(listHouseholds(editor.doc)));
		const mainBytes = statSync(file).size;
		const walBytes = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
		const sqliteBytes = mainBytes + walBytes;
		progress(`  after compaction a load reads ${loadBytes} bytes (Yjs merged state ${yjsState} bytes); SQLite file ${mainBytes} bytes + WAL ${walBytes} bytes`);

		progress(`  after the edits: database +${editedBytes - emptyBytes} bytes in use; plain JSON ${finalJsonBytes} bytes`);

		const label = `5. storage, ${options.households} households`;
		const perHousehold = (bytes: number) => round(bytes / options.households, 1);
		const rows = [
			makeRow(
				`${label}: database bytes per household (log + snapshot + indexes)`,
				'B',
				perHousehold(registeredBytes - emptyBytes),
				perHousehold(jsonBytes),
				'SQLite pages in use beyond the empty database; reference: the same households as plain JSON records'
			),
			makeRow(
				`${label}: database bytes per single-field edit (${options.edits} edits, history kept)`,
				'B',
				round((editedBytes - registeredBytes) / options.edits, 1),
				perHousehold(jsonBytes),
				'reference: one household as a plain JSON record (what a record store rewrites per edit, keeping no history)'
			),
			makeRow(
				`${label}: database bytes per household after the edits`,
				'B',
				perHousehold(editedBytes - emptyBytes),
				perHousehold(finalJsonBytes),
				'reference: the edited households as plain JSON records'
			)
		];
		return {
			rows,
			figures: {
				emptyBytes,
				registeredBytes,
				editedBytes,
				snapshotBytes,
				jsonBytes,
				finalJsonBytes,
				logRows: log.rows,
				logBytes: log.bytes,
				rawUpdateBytes: rawSum,
				loadBytes,
				yjsState,
				sqliteBytes,
				mainBytes,
				walBytes
			}
		};
	} finally {
		await server.stop();
	}
}
