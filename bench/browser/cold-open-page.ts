/**
 * Runs inside Chromium for row 2 (cold open from IndexedDB), bundled by bench/cold-open.ts.
 * `seed` stores one grid of N households plus M later edits through y-dexie (what the app
 * uses) and through y-indexeddb, waits until every write of either library has committed and
 * reads the copy back; `open` loads it back into a fresh Y.Doc after a page reload and reports
 * how long it took and what it found.
 *
 * Both libraries write each Y.Doc update in its own IndexedDB transaction and return before it
 * commits; y-indexeddb also merges its updates into one, 1 s after the last update once it holds
 * PREFERRED_TRIM_SIZE (500) of them. A reload aborts whatever has not committed yet, so a fixed
 * sleep before it is not enough on a busy machine: seed and open settle the database first.
 */
import Dexie from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { fillGrid } from '../lib/households.ts';
import { settleIndexedDb } from './idb-settle.ts';

type Kind = 'y-dexie' | 'y-indexeddb';
const NAME = 'tongxin-bench-grid';
const DEXIE_NAME = 'tongxin-bench';
const databaseOf = (kind: Kind) => (kind === 'y-indexeddb' ? NAME : DEXIE_NAME);

function dexieDb() {
	const db = new Dexie(DEXIE_NAME, { addons: [yDexie] }) as Dexie & { grids: Dexie.Table<{ id: string; doc: Y.Doc }, string> };
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

/** y-indexeddb's merge timer (private): set while a merge of its updates is still to come. */
type WithStoreTimer = { _storeTimeoutId: ReturnType<typeof setTimeout> | null };

async function write(kind: Kind, households: number, edits: number): Promise<string> {
	if (kind === 'y-indexeddb') {
		const doc = new Y.Doc();
		fillGrid(doc, households);
		const p = new IndexeddbPersistence(NAME, doc);
		await p.whenSynced;
		const marker = edit(doc, edits);
		// Let y-indexeddb merge its updates as it would on a tablet left open (its transaction is
		// created when the timer fires; settleIndexedDb then waits for it).
		while ((p as unknown as WithStoreTimer)._storeTimeoutId !== null) await sleep(50);
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
	DexieYProvider.release(row.doc);
	db.close();
	return marker;
}

/**
 * Stores the grid and its edits, waits until all of it has committed and checks, through the
 * same loader `open` measures, that the stored copy holds every household and the last edit.
 */
async function seed(kind: Kind, households: number, edits: number): Promise<{ marker: string; stored: Record<string, number> }> {
	const marker = await write(kind, households, edits);
	const stored = await settleIndexedDb(databaseOf(kind));
	(window as unknown as { expectedMarker: string }).expectedMarker = marker;
	const back = await open(kind);
	if (back.households !== households || back.marker !== marker)
		throw new Error(`${kind} stored copy read back with ${back.households} households, last edit ${back.marker} (expected ${households}, ${marker})`);
	return { marker, stored };
}

async function open(kind: Kind): Promise<{ ms: number; households: number; marker: string }> {
	const t0 = performance.now();
	let doc: Y.Doc;
	let done: () => Promise<unknown>;
	if (kind === 'y-indexeddb') {
		doc = new Y.Doc();
		const p = new IndexeddbPersistence(NAME, doc);
		await p.whenSynced;
		done = () => p.destroy();
	} else {
		const db = dexieDb();
		const row = (await db.grids.get('g'))!;
		doc = row.doc;
		const provider = DexieYProvider.load(doc);
		await provider.whenLoaded;
		done = async () => {
			DexieYProvider.release(doc);
			db.close();
		};
	}
	const households = listHouseholds(doc);
	const ms = performance.now() - t0;
	const marker = (window as unknown as { expectedMarker?: string }).expectedMarker ?? '';
	const [id] = marker.split('=');
	const found = id ? `${id}=${readHousehold(doc, id)?.head}` : '';
	// Loading writes too (y-indexeddb stores the fresh doc's state): leave nothing for the
	// next reload to abort. Not part of the measured time.
	await done();
	await settleIndexedDb(databaseOf(kind));
	return { ms, households: households.length, marker: found };
}

(window as unknown as { coldOpen: unknown }).coldOpen = { seed, open };
