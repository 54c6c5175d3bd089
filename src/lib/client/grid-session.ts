/**
 * Opening and closing one grid on this device: the grid's row in IndexedDB with its Y.Doc,
 * the local provider (DexieYProvider) and the network provider on the same document, and the
 * sync-state tracking. Both providers start at once; the local load never waits for the
 * network, and the network provider never waits for the local load.
 */
import type * as Y from 'yjs';
import { DexieYProvider } from 'y-dexie';
import { gridDocName } from '$lib/domain';
import { db, type GridRow } from './db.ts';
import { openNetworkProvider } from './connection.ts';
import { trackDocSync } from './doc-sync.ts';

export interface GridListing {
	id: string;
	name: string;
	communityId: string;
}

export interface OpenGrid {
	gridId: string;
	doc: Y.Doc;
	/** Resolves when the document's local copy is in memory. */
	whenLoaded: Promise<void>;
	/** Calls back with whether the server lets this user only read the grid (after each authentication). */
	onReadOnly(callback: (readOnly: boolean) => void): void;
	close(): void;
}

/** Saves the grids the server listed, keeping each grid's document as it is. */
export async function rememberGrids(grids: readonly GridListing[]): Promise<void> {
	const table = db().grids;
	await db().transaction('rw', table, async () => {
		for (const g of grids) {
			const n = await table.update(g.id, { name: g.name, communityId: g.communityId });
			if (n === 0) await table.add({ id: g.id, name: g.name, communityId: g.communityId } as GridRow);
		}
	});
}

export async function savedGrids(): Promise<GridListing[]> {
	const rows = await db().grids.toArray();
	return rows.map((r) => ({ id: r.id, name: r.name, communityId: r.communityId })).sort((a, b) => a.id.localeCompare(b.id));
}

export async function openGrid(gridId: string): Promise<OpenGrid> {
	let row = await db().grids.get(gridId);
	if (!row) {
		await db().grids.add({ id: gridId, name: '', communityId: '' } as GridRow);
		row = await db().grids.get(gridId);
		if (!row) throw new Error(`could not create grid ${gridId} on this device`);
	}
	const doc = row.doc;
	const name = gridDocName(gridId);
	const local = DexieYProvider.load(doc);
	const network = openNetworkProvider(name, doc);
	const stopTracking = trackDocSync(name, doc, network, local.whenLoaded);
	let closed = false;
	return {
		gridId,
		doc,
		whenLoaded: local.whenLoaded,
		onReadOnly(callback) {
			network.on('authenticated', ({ scope }: { scope: string }) => callback(scope === 'readonly'));
		},
		close() {
			if (closed) return;
			closed = true;
			stopTracking();
			network.destroy();
			DexieYProvider.release(doc);
		}
	};
}
