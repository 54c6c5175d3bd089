import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, colourHistory, DomainError, readHousehold, type NewHousehold } from './grid-doc.ts';
import { householdVisits, myHouseholds, overdueHouseholds, recordVisit } from './visits.ts';
import { assignLiaison } from './liaisons.ts';

const AT = '2026-11-01T08:00:00.000Z';
const base: NewHousehold = { address: '枫源村1组 1号', lng: 120.24, lat: 29.71, head: '王建国', size: 3, phone: '', tags: [], colour: 'orange' };

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('recordVisit', () => {
	it('appends the visit and moves nextVisitDue by the colour cadence', () => {
		const doc = new Y.Doc();
		const h = addHousehold(doc, { ...base, nextVisitDue: '2026-11-05T00:00:00.000Z' }, 'u-w', AT);
		recordVisit(doc, h, { mode: 'inPerson', note: '身体尚可', by: 'u-l', byName: '张', at: '2026-11-20T09:00:00.000Z' });
		expect(readHousehold(doc, h)!.nextVisitDue).toBe('2026-12-04T09:00:00.000Z'); // orange: 14 days
		expect(doc.getMap<Y.Map<unknown>>('households').get(h)!.get('nextVisitDue')).toBe('2026-12-04T09:00:00.000Z');
		const [v] = householdVisits(doc, h);
		expect(v).toMatchObject({ householdId: h, by: 'u-l', byName: '张', mode: 'inPerson', note: '身体尚可' });
	});

	it('changes the colour with its reason in the same transaction, and the due date follows the new colour', () => {
		const doc = new Y.Doc();
		const h = addHousehold(doc, base, 'u-w', AT);
		let updates = 0;
		doc.on('update', () => updates++);
		recordVisit(doc, h, { mode: 'online', note: '', by: 'u-l', at: '2026-11-20T09:00:00.000Z', colourChange: { to: 'red', reason: '突发疾病' } });
		expect(updates).toBe(1);
		expect(readHousehold(doc, h)!.colour).toBe('red');
		expect(readHousehold(doc, h)!.nextVisitDue).toBe('2026-11-27T09:00:00.000Z');
		expect(colourHistory(doc, h).at(-1)).toMatchObject({ from: 'orange', to: 'red', reason: '突发疾病', by: 'u-l' });
	});

	it('refuses a colour change without a reason and writes nothing', () => {
		const doc = new Y.Doc();
		const h = addHousehold(doc, base, 'u-w', AT);
		expect(() => recordVisit(doc, h, { mode: 'inPerson', note: 'x', by: 'u', colourChange: { to: 'red', reason: ' ' } })).toThrow(DomainError);
		expect(householdVisits(doc, h)).toHaveLength(0);
		expect(() => recordVisit(doc, 'nope', { mode: 'inPerson', note: '', by: 'u' })).toThrow(/no household/);
		expect(() => recordVisit(doc, h, { mode: 'phone' as never, note: '', by: 'u' })).toThrow(DomainError);
	});

	it('keeps both visits made offline on two devices and derives the same due date from the latest', () => {
		const a = new Y.Doc();
		const h = addHousehold(a, base, 'u-w', AT);
		const b = new Y.Doc();
		sync(a, b);
		recordVisit(b, h, { mode: 'inPerson', note: 'b later', by: 'u-b', at: '2026-11-21T10:00:00.000Z' });
		recordVisit(a, h, { mode: 'online', note: 'a earlier', by: 'u-a', at: '2026-11-20T10:00:00.000Z' });
		sync(a, b);
		for (const d of [a, b]) {
			expect(householdVisits(d, h).map((v) => v.note)).toEqual(['b later', 'a earlier']);
			expect(readHousehold(d, h)!.nextVisitDue).toBe('2026-12-05T10:00:00.000Z');
		}
	});
});

describe('my households and overdue lists', () => {
	const now = new Date('2026-11-23T00:00:00.000Z');
	function grid() {
		const doc = new Y.Doc();
		const ids = {
			late: addHousehold(doc, { ...base, address: 'late', nextVisitDue: '2026-11-10T00:00:00.000Z' }, 'u', AT),
			veryLate: addHousehold(doc, { ...base, address: 'veryLate', colour: 'green', nextVisitDue: '2026-10-01T00:00:00.000Z' }, 'u', AT),
			soon: addHousehold(doc, { ...base, address: 'soon', nextVisitDue: '2026-11-25T00:00:00.000Z' }, 'u', AT),
			later: addHousehold(doc, { ...base, address: 'later', nextVisitDue: '2026-12-25T00:00:00.000Z' }, 'u', AT),
			never: addHousehold(doc, { ...base, address: 'never' }, 'u', AT),
			other: addHousehold(doc, { ...base, address: 'other', nextVisitDue: '2026-09-01T00:00:00.000Z' }, 'u', AT)
		};
		for (const k of ['late', 'veryLate', 'soon', 'later', 'never'] as const) assignLiaison(doc, ids[k], 'u-l', 'u-c', AT);
		return { doc, ids };
	}

	it('orders a member’s households overdue first, then by due date, then never due', () => {
		const { doc, ids } = grid();
		const mine = myHouseholds(doc, 'u-l', now);
		expect(mine.map((d) => d.household.id)).toEqual([ids.veryLate, ids.late, ids.soon, ids.later, ids.never]);
		expect(mine.map((d) => d.overdue)).toEqual([true, true, false, false, false]);
		expect(mine[0].daysOverdue).toBe(53);
	});

	it('a visit takes a household off the overdue list', () => {
		const { doc, ids } = grid();
		expect(overdueHouseholds(doc, now).map((d) => d.household.id)).toEqual([ids.other, ids.veryLate, ids.late]);
		recordVisit(doc, ids.late, { mode: 'inPerson', note: '', by: 'u-l', at: '2026-11-22T09:00:00.000Z' });
		expect(overdueHouseholds(doc, now).map((d) => d.household.id)).toEqual([ids.other, ids.veryLate]);
		expect(myHouseholds(doc, 'u-l', now).find((d) => d.household.id === ids.late)!.lastVisit?.at).toBe('2026-11-22T09:00:00.000Z');
	});
});

describe('due date after a colour change', () => {
	it('follows the new colour’s cadence from the latest visit; without visits the stored date stays', async () => {
		const { changeColour } = await import('./grid-doc.ts');
		const doc = new Y.Doc();
		const visited = addHousehold(doc, { ...base, colour: 'green' }, 'u', AT);
		const never = addHousehold(doc, { ...base, colour: 'green', nextVisitDue: '2026-12-01T00:00:00.000Z' }, 'u', AT);
		recordVisit(doc, visited, { mode: 'inPerson', note: '', by: 'u-l', at: '2026-11-20T00:00:00.000Z' });
		expect(readHousehold(doc, visited)!.nextVisitDue).toBe('2027-02-18T00:00:00.000Z'); // green: 90 days
		changeColour(doc, visited, 'red', '新发纠纷', 'u-w');
		changeColour(doc, never, 'red', '新发纠纷', 'u-w');
		expect(readHousehold(doc, visited)!.nextVisitDue).toBe('2026-11-27T00:00:00.000Z'); // red: 7 days
		expect(readHousehold(doc, never)!.nextVisitDue).toBe('2026-12-01T00:00:00.000Z');
	});
});
