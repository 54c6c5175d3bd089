import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countByColour, listHouseholds, readGridMeta } from '../../src/lib/domain/grid-doc.ts';
import { SqliteAsyncStore } from '../store/sqlite-async-store.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';
import { DEMO_USERS, seedDemo } from './seed.ts';

function seeded(): Promise<SqliteStore> {
	const store = SqliteAsyncStore.open(':memory:');
	return seedDemo(store, { today: new Date('2026-11-23T00:00:00Z') }).then(() => store.sync);
}

function loadGrid(store: SqliteStore, gridId: string): Y.Doc {
	const doc = new Y.Doc();
	const snap = store.latestSnapshot(`grid:${gridId}`);
	if (snap) Y.applyUpdate(doc, snap.state);
	return doc;
}

/** Ray casting: whether [lng, lat] is inside the ring. */
function inside([x, y]: number[], ring: number[][]): boolean {
	let c = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
	}
	return c;
}

describe('demo seed', () => {
	it('builds the tree, six grids of households inside their boundaries, and the demo users', async () => {
		const store = await seeded();
		expect(store.places('street').map((p) => p.name)).toEqual(['枫桥街道']);
		expect(store.places('community').map((p) => p.id)).toEqual(['c1', 'c2']);
		expect(store.places('grid').map((p) => p.id)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5', 'g6']);
		const all = [];
		const rings: number[][][] = [];
		for (const g of store.places('grid')) {
			const doc = loadGrid(store, g.id);
			const meta = readGridMeta(doc);
			expect(meta.communityId).toBe(g.parentId);
			const ring = meta.boundary!.coordinates[0];
			rings.push(ring);
			const households = listHouseholds(doc);
			expect(households).toHaveLength(100);
			for (const h of households) expect(inside([h.lng, h.lat], ring), h.address).toBe(true);
			expect(new Set(households.map((h) => h.address)).size).toBe(100);
			all.push(...households);
			expect(store.updatesAfter(`grid:${g.id}`, 0).map((u) => u.userId)).toEqual(['system']);
		}
		// No household lies inside another grid's boundary (the grids do not overlap).
		for (const h of all) expect(rings.filter((r) => inside([h.lng, h.lat], r))).toHaveLength(1);
		const counts = countByColour(all);
		expect(counts.red / all.length).toBeGreaterThan(0.02);
		expect(counts.red / all.length).toBeLessThan(0.09);
		expect(counts.green / all.length).toBeGreaterThan(0.45);
		expect(counts.green / all.length).toBeLessThan(0.65);
		for (const u of DEMO_USERS) {
			// a grid membership comes back with its grid's community
			const community = u.membership.level === 'grid' ? { communityId: store.place(u.membership.placeId)?.parentId } : {};
			expect(store.memberships(`u-${u.username}`)).toEqual([{ ...u.membership, ...community }]);
		}
		expect(store.memberships('u-demo-liaison')).toEqual([{ role: 'liaison', level: 'grid', placeId: 'g2', communityId: 'c1' }]);
		store.close();
	});

	it('is deterministic', async () => {
		const [a, b] = await Promise.all([seeded(), seeded()]);
		for (const g of ['g1', 'g6']) {
			expect(JSON.stringify(listHouseholds(loadGrid(a, g)))).toBe(JSON.stringify(listHouseholds(loadGrid(b, g))));
		}
		a.close();
		b.close();
	});
});
