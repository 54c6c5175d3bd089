import { describe, expect, it } from 'vitest';
import type { Membership } from '../../domain/roles.ts';
import type { PlaceRecord } from '../store.ts';
import { managedPlaceIds, ownsUser, placeTree, seesUser } from './scope.ts';

const places: PlaceRecord[] = [
	{ id: 'st1', level: 'street', parentId: null, name: '枫桥街道' },
	{ id: 'st2', level: 'street', parentId: null, name: '其他街道' },
	{ id: 'c1', level: 'community', parentId: 'st1', name: '枫源村' },
	{ id: 'c2', level: 'community', parentId: 'st1', name: '新枫社区' },
	{ id: 'c3', level: 'community', parentId: 'st2', name: '别村' },
	{ id: 'g1', level: 'grid', parentId: 'c1', name: '一组' },
	{ id: 'g4', level: 'grid', parentId: 'c2', name: '枫林苑' },
	{ id: 'g9', level: 'grid', parentId: 'c3', name: '别组' }
];
const m = (role: Membership['role'], level: Membership['level'], placeId: string): Membership => ({ role, level, placeId });

describe('managedPlaceIds', () => {
	it('a street admin manages the street and everything under it, nothing elsewhere', () => {
		expect([...managedPlaceIds([m('admin', 'street', 'st1')], places)].sort()).toEqual(['c1', 'c2', 'g1', 'g4', 'st1']);
	});
	it('a community admin manages only that community and its grids', () => {
		expect([...managedPlaceIds([m('admin', 'community', 'c2')], places)].sort()).toEqual(['c2', 'g4']);
	});
	it('other roles manage nothing, and a membership whose level does not match its place counts for nothing', () => {
		expect(managedPlaceIds([m('committee', 'community', 'c1'), m('policeDeputy', 'street', 'st1')], places).size).toBe(0);
		expect(managedPlaceIds([m('admin', 'community', 'st1')], places).size).toBe(0);
	});
});

describe('users', () => {
	const managed = managedPlaceIds([m('admin', 'community', 'c1')], places);
	it('sees a user with any membership in managed places, owns them only if all are', () => {
		const both = [m('liaison', 'grid', 'g1'), m('liaison', 'grid', 'g4')];
		expect(seesUser(managed, both)).toBe(true);
		expect(ownsUser(managed, both)).toBe(false);
		expect(ownsUser(managed, [m('gridWorker', 'grid', 'g1')])).toBe(true);
		expect(seesUser(managed, [m('gridWorker', 'grid', 'g9')])).toBe(false);
	});
	it('a user without memberships is seen and owned by no admin', () => {
		expect(seesUser(managed, [])).toBe(false);
		expect(ownsUser(managed, [])).toBe(false);
		const street = managedPlaceIds([m('admin', 'street', 'st1')], places);
		expect(seesUser(street, [])).toBe(false);
		expect(ownsUser(street, [])).toBe(false);
	});
});

describe('placeTree', () => {
	it('nests the managed places under their topmost managed place', () => {
		const tree = placeTree(managedPlaceIds([m('admin', 'street', 'st1')], places), places);
		expect(tree.map((n) => n.id)).toEqual(['st1']);
		expect(tree[0].children.map((n) => [n.id, n.children.map((g) => g.id)])).toEqual([
			['c1', ['g1']],
			['c2', ['g4']]
		]);
	});
});
