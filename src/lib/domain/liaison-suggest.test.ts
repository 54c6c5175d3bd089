import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, type Household, listHouseholds } from './grid-doc.ts';
import { haversine, suggestLiaisons } from './liaison-suggest.ts';
import { assignLiaison, liaisonHistory, listLiaisonMembers, readAcquaintances, setAcquainted, setLiaisonMember, type LiaisonMember } from './liaisons.ts';

const hh = (id: string, lng: number, lat: number, liaisonId: string | null = null): Household => ({
	id, address: id, lng, lat, head: '', size: 1, phone: '', tags: [], colour: 'green', liaisonId, nextVisitDue: null
});
const west: LiaisonMember = { id: 'm-west', displayName: '西', lng: 120.2, lat: 29.7 };
const east: LiaisonMember = { id: 'm-east', displayName: '东', lng: 120.3, lat: 29.7 };

describe('haversine', () => {
	it('measures metres along the Earth', () => {
		expect(haversine({ lng: 0, lat: 0 }, { lng: 0, lat: 1 })).toBeCloseTo(111_195, -1);
		expect(haversine(west, east)).toBeCloseTo(9_659, -1); // 0.1° of longitude at 29.7°N
		expect(haversine(west, west)).toBe(0);
	});
});

describe('suggestLiaisons', () => {
	it('suggests the nearest member for each unassigned household', () => {
		const s = suggestLiaisons([hh('h1', 120.21, 29.7), hh('h2', 120.29, 29.7), hh('h3', 120.22, 29.7, 'm-east')], [west, east]);
		expect(s.map((x) => [x.householdId, x.memberId, x.reason])).toEqual([
			['h1', 'm-west', 'nearest'],
			['h2', 'm-east', 'nearest']
		]);
		expect(s[0].distance).toBeCloseTo(haversine(west, hh('h1', 120.21, 29.7)), 6);
	});

	it('balances load with the cap (existing assignments count), the nearest households first', () => {
		const households = [hh('a', 120.201, 29.7), hh('b', 120.205, 29.7), hh('c', 120.21, 29.7), hh('d', 120.202, 29.7, 'm-west')];
		const s = suggestLiaisons(households, [west, east], { cap: 3 });
		expect(s.map((x) => [x.householdId, x.memberId])).toEqual([
			['a', 'm-west'],
			['b', 'm-west'],
			['c', 'm-east'] // west is full (d, a, b); c is the farthest of the three from west
		]);
		expect(suggestLiaisons(households, [west], { cap: 2 }).map((x) => [x.householdId, x.memberId, x.reason])).toEqual([
			['a', 'm-west', 'nearest'],
			['b', null, 'allFull'],
			['c', null, 'allFull']
		]);
	});

	it('keeps an explicit acquainted override over distance and cap', () => {
		const households = [hh('a', 120.201, 29.7), hh('b', 120.202, 29.7)];
		const s = suggestLiaisons(households, [west, east], { cap: 1, acquainted: { a: 'm-east', b: 'm-gone' } });
		expect(s.map((x) => [x.householdId, x.memberId, x.reason])).toEqual([
			['a', 'm-east', 'acquainted'],
			['b', 'm-west', 'nearest']
		]);
	});

	it('is the same whatever order households and members come in', () => {
		const households = Array.from({ length: 20 }, (_, i) => hh(`h${String(i).padStart(2, '0')}`, 120.2 + (i % 7) * 0.015, 29.7 + (i % 3) * 0.001));
		const one = suggestLiaisons(households, [west, east], { cap: 10 });
		const two = suggestLiaisons([...households].reverse(), [east, west], { cap: 10 });
		expect(two).toEqual(one);
	});
});

describe('roster and assignment', () => {
	it('records every reassignment with who and when, and keeps acquaintances', () => {
		const doc = new Y.Doc();
		const h = addHousehold(doc, { address: '1号', lng: 120.24, lat: 29.71, head: '王', size: 1, phone: '', tags: [], colour: 'green' }, 'u', '2026-11-01T00:00:00.000Z');
		setLiaisonMember(doc, west);
		setLiaisonMember(doc, east);
		expect(listLiaisonMembers(doc).map((m) => m.id)).toEqual(['m-east', 'm-west']);
		assignLiaison(doc, h, 'm-west', 'u-c', '2026-11-02T00:00:00.000Z');
		assignLiaison(doc, h, 'm-east', 'u-c', '2026-11-03T00:00:00.000Z');
		assignLiaison(doc, h, 'm-east', 'u-c', '2026-11-04T00:00:00.000Z'); // no change, no event
		expect(listHouseholds(doc)[0].liaisonId).toBe('m-east');
		expect(liaisonHistory(doc, h)).toEqual([
			{ householdId: h, from: null, to: 'm-west', by: 'u-c', at: '2026-11-02T00:00:00.000Z' },
			{ householdId: h, from: 'm-west', to: 'm-east', by: 'u-c', at: '2026-11-03T00:00:00.000Z' }
		]);
		setAcquainted(doc, h, 'm-west');
		expect(readAcquaintances(doc)).toEqual({ [h]: 'm-west' });
		setAcquainted(doc, h, null);
		expect(readAcquaintances(doc)).toEqual({});
	});
});
