/**
 * Row 4 of issue 6: server memory. D grid documents of 1,000 households each are pushed to a
 * fresh server by one client per document; the server's resident memory (from /proc) is read
 * idle, with the documents loaded and their clients connected, and again after the clients
 * left (documents are unloaded when their last client goes). Per-document figures are the
 * growth over the idle figure divided by D. Medians over the runs.
 */
import * as Y from 'yjs';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import { listHouseholds } from '../src/lib/domain/grid-doc.ts';
import { benchClient, sleep, waitUntil, type BenchClient } from './lib/clients.ts';
import { fillGrid } from './lib/households.ts';
import { heapAfterGc, inspectorUrl } from './lib/inspector.ts';
import { rssBytes } from './lib/proc.ts';
import { benchGridIds, startOurs, startReference } from './lib/servers.ts';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface MemoryOptions {
	docs: number;
	households: number;
	runs: number;
}

interface MemoryFigures {
	idleMb: number;
	perDocLoadedMb: number;
	perDocAfterLeaveMb: number;
	/** V8 heap + external memory after a full GC, per document, loaded and after clients left. */
	heapPerDocLoadedMb: number;
	heapPerDocAfterLeaveMb: number;
}

const MB = 2 ** 20;

async function once(target: 'ours' | 'reference', options: MemoryOptions): Promise<MemoryFigures> {
	const nodeArgs = ['--inspect=127.0.0.1:0'];
	const server = target === 'ours' ? await startOurs({ grids: options.docs, nodeArgs }) : await startReference({ nodeArgs });
	const inspector = inspectorUrl(server.output());
	if (!inspector) throw new Error(`no inspector URL in the ${target} server's output`);
	const heap = async () => {
		const h = await heapAfterGc(inspector);
		return h.heapUsed + h.external;
	};
	const clients: BenchClient[] = [];
	try {
		await sleep(1500);
		const idleHeap = await heap();
		const idle = rssBytes(server.pid);
		const names = benchGridIds(options.docs).map(gridDocName);
		for (const name of names) {
			const doc = new Y.Doc();
			fillGrid(doc, options.households);
			const c = benchClient(server, name, doc);
			clients.push(c);
			await c.synced;
		}
		// Every document fully on the server: a second, empty client must receive all of it.
		for (const name of names) {
			const check = benchClient(server, name);
			await check.synced;
			await waitUntil(() => listHouseholds(check.doc).length === options.households, 30_000, `${name} complete on the server`);
			check.destroy();
		}
		await sleep(2000);
		const loadedHeap = await heap();
		const loaded = rssBytes(server.pid);
		for (const c of clients.splice(0)) c.destroy();
		await sleep(6000);
		const afterHeap = await heap();
		const after = rssBytes(server.pid);
		return {
			idleMb: round(idle / MB, 1),
			perDocLoadedMb: round((loaded - idle) / MB / options.docs, 2),
			perDocAfterLeaveMb: round((after - idle) / MB / options.docs, 2),
			heapPerDocLoadedMb: round((loadedHeap - idleHeap) / MB / options.docs, 2),
			heapPerDocAfterLeaveMb: round((afterHeap - idleHeap) / MB / options.docs, 2)
		};
	} finally {
		for (const c of clients) c.destroy();
		await server.stop();
	}
}

export async function benchMemory(options: MemoryOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<string, MemoryFigures[]> }> {
	const runs: Record<'ours' | 'reference', MemoryFigures[]> = { ours: [], reference: [] };
	for (let i = 0; i < options.runs; i++) {
		for (const target of (i % 2 === 0 ? ['reference', 'ours'] : ['ours', 'reference']) as ('ours' | 'reference')[]) {
			const f = await once(target, options);
			runs[target].push(f);
			progress(`  run ${i + 1}/${options.runs} ${target.padEnd(9)} idle ${f.idleMb} MB, per loaded doc ${f.perDocLoadedMb} MB, per doc after clients left ${f.perDocAfterLeaveMb} MB; heap per loaded doc ${f.heapPerDocLoadedMb} MB, after clients left ${f.heapPerDocAfterLeaveMb} MB`);
		}
	}
	const med = (t: 'ours' | 'reference', f: (x: MemoryFigures) => number) => round(median(runs[t].map(f)));
	const label = `4. memory, ${options.docs} docs × ${options.households} households`;
	return {
		rows: [
			makeRow(`${label}: server RSS idle`, 'MB', med('ours', (x) => x.idleMb), med('reference', (x) => x.idleMb)),
			makeRow(`${label}: heap per loaded doc (after GC)`, 'MB', med('ours', (x) => x.heapPerDocLoadedMb), med('reference', (x) => x.heapPerDocLoadedMb)),
			makeRow(`${label}: heap per doc after clients left (after GC)`, 'MB', med('ours', (x) => x.heapPerDocAfterLeaveMb), med('reference', (x) => x.heapPerDocAfterLeaveMb)),
			makeRow(`${label}: RSS per loaded doc`, 'MB', med('ours', (x) => x.perDocLoadedMb), med('reference', (x) => x.perDocLoadedMb)),
			makeRow(`${label}: RSS per doc after clients left`, 'MB', med('ours', (x) => x.perDocAfterLeaveMb), med('reference', (x) => x.perDocAfterLeaveMb), 'RSS hardly drops when documents unload (V8 keeps freed pages); the heap rows are the cost')
		],
		runs
	};
}
