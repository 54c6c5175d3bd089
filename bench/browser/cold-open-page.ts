/**
 * Runs inside Chromium for row 2 (cold open from IndexedDB), bundled by bench/cold-open.ts.
 * `seed` stores one grid of N households plus M later edits through y-dexie (what the app
 * uses) and through y-indexeddb; `open` loads it back into a fresh Y.Doc after a page reload
 * and reports how long it took and what it found.
 */
import Dexie from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { fillGrid } from '../lib/households.ts';

type Kind = 'y-dexie' | 'y-indexeddb';
const NAME = 'tongxin-bench-grid';

function dexieDb() {
	const db = new Dexie('tongxin-bench', { addons: [yDexie] }) as Dexie & { grids: Dexie.Table<{ id: string; doc: Y.Doc }, string> };
	db.version(1).stores({ grids: 'id, doc: Y.Doc' });
	return db;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function edit(doc: Y.Doc, edits: number): string {
	const ids = listHouseholds(doc).map((h) => h.id);
	let last = '';
	for (let i = 0; i < edits; i++) {
		last = `户主${i}`;
		updateHousehold(doc, ids[(i * 7919) % ids.length], { head: last });
	}
	return `${ids[((edits - 1) * 7919) % ids.length]}=${last}`;
}

async function seed(kind: Kind, households: number, edits: number): Promise<string> {
	if (kind === 'y-indexeddb') {
		const doc = new Y.Doc();
		fillGrid(doc, households);
		const p = new IndexeddbPersistence(NAME, doc);
		await p.whenSynced;
		const marker = edit(doc, edits);
		await sleep(2000);
		await p.destroy();
		return marker;
	}
	const db = dexieDb();
	await db.grids.put({ id: 'g' } as { id: string; doc: Y.Doc });
	const row = (await db.grids.get('g'))!;
	const provider = DexieYProvider.load(row.doc);
	await provider.whenLoaded;
	const source = new Y.Doc();
	fillGrid(source, households);
	Y.applyUpdate(row.doc, Y.encodeStateAsUpdate(source));
	const marker = edit(row.doc, edits);
	await sleep(3000);
	DexieYProvider.release(row.doc);
	db.close();
	return marker;
}

async function open(kind: Kind): Promise<{ ms: number; households: number; marker: string }> {
	const t0 = performance.now();
	let doc: Y.Doc;
	let done: () => void;
	if (kind === 'y-indexeddb') {
		doc = new Y.Doc();
		const p = new IndexeddbPersistence(NAME, doc);
		await p.whenSynced;
		done = () => void p.destroy();
	} else {
		const db = dexieDb();
		const row = (await db.grids.get('g'))!;
		doc = row.doc;
		const provider = DexieYProvider.load(doc);
		await provider.whenLoaded;
		done = () => {
			DexieYProvider.release(doc);
			db.close();
		};
	}
	const households = listHouseholds(doc);
	const ms = performance.now() - t0;
	const marker = (window as unknown as { expectedMarker?: string }).expectedMarker ?? '';
	const [id] = marker.split('=');
	const found = id ? `${id}=${readHousehold(doc, id)?.head}` : '';
	done();
	return { ms, households: households.length, marker: found };
}

(window as unknown as { coldOpen: unknown }).coldOpen = { seed, open };
