import { describe, expect, it } from 'vitest';
import type { Household } from '$lib/domain';
import { bounds, householdDiff, toCollection } from './features.ts';

const h = (id: string, colour: Household['colour'], lng = 120.24, lat = 29.71): Household => ({
	id,
	address: `枫桥路${id}号`,
	lng,
	lat,
	head: '张三',
	size: 3,
	phone: '',
	tags: [],
	colour,
	liaisonId: null,
	nextVisitDue: null
});

const byId = (list: Household[]) => new Map(list.map((x) => [x.id, x]));

describe('householdDiff', () => {
	it('is null when nothing the map shows changed', () => {
		const before = [h('a', 'red'), h('b', 'green')];
		const after = [{ ...h('a', 'red'), head: '李四' }, h('b', 'green')];
		expect(householdDiff(byId(before), after)).toBeNull();
	});

	it('adds, updates and removes by household id', () => {
		const before = [h('a', 'red'), h('b', 'green')];
		const after = [h('a', 'orange'), h('c', 'yellow', 120.25, 29.72)];
		const diff = householdDiff(byId(before), after)!;
		expect(diff.remove).toEqual(['b']);
		expect(diff.add?.map((f) => f.properties?.hid)).toEqual(['c']);
		expect(diff.update).toEqual([
			{ id: 'a', newGeometry: { type: 'Point', coordinates: [120.24, 29.71] }, addOrUpdateProperties: [{ key: 'colour', value: 'orange' }, { key: 'overdue', value: false }] }
		]);
	});

	it('updates a household whose visit became overdue (or no longer is)', () => {
		const past = new Date(Date.now() - 86_400_000).toISOString();
		const before = [h('a', 'red')];
		const after = [{ ...h('a', 'red'), nextVisitDue: past }];
		expect(householdDiff(byId(before), after)!.update?.[0].addOrUpdateProperties).toContainEqual({ key: 'overdue', value: true });
		expect(householdDiff(byId(after), before)!.update?.[0].addOrUpdateProperties).toContainEqual({ key: 'overdue', value: false });
		expect(toCollection(after).features[0].properties).toMatchObject({ overdue: true });
	});
});

describe('toCollection and bounds', () => {
	it('carries the id and colour of every household', () => {
		const fc = toCollection([h('a', 'red')]);
		expect(fc.features[0].properties).toEqual({ hid: 'a', colour: 'red', overdue: false });
	});

	it('frames a set of points', () => {
		expect(bounds([[1, 2], [3, -1], [2, 5]])).toEqual([[1, -1], [3, 5]]);
		expect(bounds([])).toBeNull();
	});
});
