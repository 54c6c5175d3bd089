import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, listHouseholds, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { UPDATE_LIMITS } from '../../src/lib/domain/limits.ts';
import { declaredEntries, measureUpdate } from './update-measure.ts';

const household = { address: '枫源村1号', head: '王伟', size: 3, phone: '13700000000', tags: [], lng: 120.24, lat: 29.71, colour: 'green' as const };
const measure = (u: Uint8Array, valueLimit = 0) => measureUpdate(Y.decodeUpdate(u), u.length, valueLimit);

describe('measureUpdate', () => {
	it('counts entries (structs and deleted ranges) and finds the largest value, key or root name', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 'x'.repeat(1000));
		doc.getMap('m').set('k'.repeat(3000), 1);
		doc.getMap('r'.repeat(5000)).set('b', { nested: 'y'.repeat(2000) });
		const m = measure(Y.encodeStateAsUpdate(doc));
		expect(m.entries).toBeGreaterThanOrEqual(3);
		expect(m.largestValueBytes).toBe(5000);
		const sv = Y.encodeStateVector(doc);
		doc.getMap('m').delete('a');
		expect(measure(Y.encodeStateAsUpdate(doc, sv)).entries).toBe(1);
	});

	it('skips the value walk when the whole update is under the value limit', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 'x'.repeat(100));
		const u = Y.encodeStateAsUpdate(doc);
		expect(measure(u, u.length).largestValueBytes).toBe(0);
		expect(measure(u, u.length - 1).largestValueBytes).toBeGreaterThanOrEqual(100); // short strings: counted at 3 bytes a character
	});

	it('reads the declared entry count of the first client from the header alone', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			for (let i = 0; i < 500; i++) doc.getMap('m').set(`k${i}`, i);
		});
		expect(declaredEntries(Y.encodeStateAsUpdate(doc))).toBe(500);
		expect(declaredEntries(new Uint8Array([0xff]))).toBe(0);
	});

	it('lets honest heavy updates through the grid limits: 300 households, then 3,000 offline edits', () => {
		const doc = new Y.Doc();
		for (let i = 0; i < 300; i++) addHousehold(doc, { ...household, address: `枫源村${i}号` }, 'u1');
		const all = Y.encodeStateAsUpdate(doc);
		const hs = listHouseholds(doc);
		const sv = Y.encodeStateVector(doc);
		for (let i = 0; i < 3_000; i++) updateHousehold(doc, hs[i % hs.length].id, { phone: `1380013${String(i).padStart(4, '0')}` });
		const catchUp = Y.encodeStateAsUpdate(doc, sv);
		const limits = UPDATE_LIMITS.grid;
		for (const u of [all, catchUp]) {
			const m = measure(u, limits.maxValueBytes);
			expect(u.length).toBeLessThanOrEqual(limits.maxUpdateBytes);
			expect(m.entries).toBeLessThanOrEqual(limits.maxEntries);
			expect(m.largestValueBytes).toBeLessThanOrEqual(limits.maxValueBytes);
		}
	});
});
