/**
 * Row 3 of issue 6: catch-up. A tablet with a grid open loses its connection, makes 1,000
 * edits offline (each its own transaction, as a person typing would), then reconnects. Measured
 * from the reconnect: the time until a peer that stayed online holds all 1,000 edits (both
 * servers), and for ours also the time until the tablet's provider counts no unsynced change
 * (the server acknowledged everything: with the app's socket behaviour the handshake sends the
 * offline edits as one update, acknowledged once, so the count reaches 0 only then). Ours runs
 * the tablet on a socket set up as the app's (src/lib/client/offline-queue.ts). Medians over
 * the runs.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { keepUpdatesOutOfQueue } from '../src/lib/client/offline-queue.ts';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import { listHouseholds, updateHousehold } from '../src/lib/domain/grid-doc.ts';
import { benchClient, sleep, waitUntil } from './lib/clients.ts';
import { fillGrid } from './lib/households.ts';
import { startOurs, startReference, type RunningServer } from './lib/servers.ts';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface CatchUpOptions {
	edits: number;
	households: number;
	runs: number;
}

interface CatchUpFigures {
	peerHasAllMs: number;
	acknowledgedMs: number | null;
	/** Ours: rows the catch-up added to the update log (one per update the server applied). */
	logRows?: number;
}

function logRows(server: RunningServer): number | undefined {
	if (!server.dataDir) return undefined;
	const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'), { readOnly: true });
	try {
		return Number((db.prepare('SELECT COUNT(*) AS n FROM doc_updates').get() as { n: number }).n);
	} finally {
		db.close();
	}
}

/** The tablet: a provider whose connection can be dropped and restored, like a network outage. */
function tablet(server: RunningServer, name: string, doc: Y.Doc) {
	if (server.name === 'reference') {
		// disableBc: the peer is in this process; it must get the edits through the server
		const p = new WebsocketProvider(server.wsUrl, name, doc, { disableBc: true });
		return {
			synced: new Promise<void>((r) => p.on('sync', (s: boolean) => s && r())),
			offline: () => p.disconnect(),
			online: () => p.connect(),
			acknowledged: null as null | (() => boolean),
			destroy: () => p.destroy()
		};
	}
	// as the app's shared socket (src/lib/client/connection.ts)
	const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl });
	keepUpdatesOutOfQueue(socket);
	const p = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token: server.token ?? '' });
	p.attach();
	return {
		synced: new Promise<void>((r) => p.on('synced', () => r())),
		offline: () => socket.disconnect(),
		online: () => void socket.connect(),
		acknowledged: (() => p.isSynced && p.unsyncedChanges === 0) as null | (() => boolean),
		destroy: () => {
			p.destroy();
			socket.destroy();
		}
	};
}

async function once(target: 'ours' | 'reference', options: CatchUpOptions): Promise<CatchUpFigures> {
	const server = target === 'ours' ? await startOurs({ grids: 1 }) : await startReference();
	const name = gridDocName('bench1');
	const seed = new Y.Doc();
	fillGrid(seed, options.households);
	const seeder = benchClient(server, name, seed);
	const peer = benchClient(server, name);
	const doc = new Y.Doc();
	const t = tablet(server, name, doc);
	try {
		await Promise.all([seeder.synced, peer.synced, t.synced]);
		await waitUntil(() => listHouseholds(doc).length === options.households && listHouseholds(peer.doc).length === options.households, 30_000, 'grid everywhere');
		seeder.destroy();
		t.offline();
		await sleep(500);
		const ids = listHouseholds(doc).map((h) => h.id);
		for (let i = 0; i < options.edits; i++) updateHousehold(doc, ids[i % ids.length], i % 2 ? { size: (i % 9) + 1 } : { head: `离线${i}` });
		const target$ = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID)!;
		const peerHasAll = () => (Y.decodeStateVector(Y.encodeStateVector(peer.doc)).get(doc.clientID) ?? 0) >= target$;
		const rowsBefore = logRows(server);
		const start = performance.now();
		t.online();
		let peerHasAllMs = NaN;
		let acknowledgedMs: number | null = null;
		await waitUntil(
			() => {
				if (Number.isNaN(peerHasAllMs) && peerHasAll()) peerHasAllMs = performance.now() - start;
				if (t.acknowledged && acknowledgedMs === null && t.acknowledged()) acknowledgedMs = performance.now() - start;
				return !Number.isNaN(peerHasAllMs) && (t.acknowledged === null || acknowledgedMs !== null);
			},
			60_000,
			'catch-up'
		);
		await sleep(500);
		const rowsAfter = logRows(server);
		return {
			peerHasAllMs: round(peerHasAllMs, 1),
			acknowledgedMs: acknowledgedMs === null ? null : round(acknowledgedMs, 1),
			...(rowsAfter !== undefined && rowsBefore !== undefined ? { logRows: rowsAfter - rowsBefore } : {})
		};
	} finally {
		t.destroy();
		peer.destroy();
		seeder.destroy();
		await server.stop();
	}
}

export async function benchCatchUp(options: CatchUpOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<string, CatchUpFigures[]> }> {
	const runs: Record<'ours' | 'reference', CatchUpFigures[]> = { ours: [], reference: [] };
	for (let i = 0; i < options.runs; i++) {
		for (const target of (i % 2 === 0 ? ['reference', 'ours'] : ['ours', 'reference']) as ('ours' | 'reference')[]) {
			const f = await once(target, options);
			runs[target].push(f);
			progress(`  run ${i + 1}/${options.runs} ${target.padEnd(9)} peer has all ${options.edits} edits after ${f.peerHasAllMs} ms` + (f.acknowledgedMs !== null ? `, all acknowledged after ${f.acknowledgedMs} ms` : '') + (f.logRows !== undefined ? `, ${f.logRows} rows added to the log` : ''));
		}
	}
	const label = `3. catch-up, ${options.edits} offline edits`;
	return {
		rows: [
			makeRow(`${label}: until an online peer has them all`, 'ms', round(median(runs.ours.map((x) => x.peerHasAllMs))), round(median(runs.reference.map((x) => x.peerHasAllMs)))),
			makeRow(`${label}: until the server acknowledged all (provider unsynced = 0)`, 'ms', round(median(runs.ours.map((x) => x.acknowledgedMs ?? NaN))), null, 'the reference protocol has no acknowledgement'),
			makeRow(`${label}: rows the catch-up added to the update log`, 'rows', median(runs.ours.map((x) => x.logRows ?? NaN)), null, 'the reference keeps no log')
		],
		runs
	};
}
