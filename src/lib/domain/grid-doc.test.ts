import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addHousehold,
	changeColour,
	colourHistory,
	countByColour,
	DomainError,
	listHouseholds,
	observeGrid,
	readGridMeta,
	readHousehold,
	setGridMeta,
	updateHousehold,
	type NewHousehold
} from './grid-doc.ts';

const AT = '2026-11-23T08:00:00.000Z';

const wang: NewHousehold = {
	address: '枫桥镇枫源村3组12号',
	lng: 120.241,
	lat: 29.712,
	head: '王建国',
	size: 3,
	phone: '138 0571 2345',
	tags: ['elderly'],
	colour: 'orange'
};

function gridWith(...households: NewHousehold[]): { doc: Y.Doc; ids: string[] } {
	const doc = new Y.Doc();
	const ids = households.map((h) => addHousehold(doc, h, 'u-worker', AT));
	return { doc, ids };
}

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function expectDomainError(fn: () => unknown, code: string): void {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(DomainError);
		expect((e as DomainError).code).toBe(code);
		return;
	}
	throw new Error(`expected DomainError ${code}`);
}

describe('grid metadata', () => {
	it('reads empty defaults from a new grid', () => {
		expect(readGridMeta(new Y.Doc())).toEqual({ name: '', communityId: '', boundary: null, updatedAt: '' });
	});

	it('keeps name, community and boundary and stamps the time', () => {
		const doc = new Y.Doc();
		const boundary = { type: 'Polygon' as const, coordinates: [[[120.24, 29.71], [120.25, 29.71], [120.25, 29.72], [120.24, 29.71]]] };
		setGridMeta(doc, { name: '枫源村第一网格', communityId: 'c1', boundary }, AT);
		expect(readGridMeta(doc)).toEqual({ name: '枫源村第一网格', communityId: 'c1', boundary, updatedAt: AT });
		setGridMeta(doc, { name: '第一网格' }, '2026-11-24T00:00:00.000Z');
		expect(readGridMeta(doc)).toMatchObject({ name: '第一网格', communityId: 'c1', boundary, updatedAt: '2026-11-24T00:00:00.000Z' });
	});
});

describe('addHousehold', () => {
	it('registers a household with every field and its first colour in the history', () => {
		const { doc, ids } = gridWith(wang);
		expect(readHousehold(doc, ids[0])).toEqual({
			id: ids[0],
			address: wang.address,
			lng: wang.lng,
			lat: wang.lat,
			head: '王建国',
			size: 3,
			phone: '138 0571 2345',
			tags: ['elderly'],
			colour: 'orange',
			liaisonId: null,
			nextVisitDue: null
		});
		expect(colourHistory(doc, ids[0])).toEqual([
			{ householdId: ids[0], from: null, to: 'orange', reason: '登记', by: 'u-worker', at: AT }
		]);
	});

	it('sends one update per household (one transaction)', () => {
		const doc = new Y.Doc();
		let updates = 0;
		doc.on('update', () => updates++);
		addHousehold(doc, wang, 'u', AT);
		expect(updates).toBe(1);
	});

	it('refuses a household without a location or with an unknown colour, and leaves the grid unchanged', () => {
		const doc = new Y.Doc();
		expectDomainError(() => addHousehold(doc, { ...wang, lng: NaN }, 'u'), 'invalidLocation');
		expectDomainError(() => addHousehold(doc, { ...wang, lat: Infinity }, 'u'), 'invalidLocation');
		expectDomainError(() => addHousehold(doc, { ...wang, colour: 'blue' as never }, 'u'), 'invalidColour');
		expectDomainError(() => addHousehold(doc, { ...wang, size: -1 }, 'u'), 'invalidSize');
		expect(listHouseholds(doc)).toEqual([]);
		expect(doc.getArray('colourEvents').length).toBe(0);
	});

	it('lists households in address order, the same on every replica', () => {
		const { doc } = gridWith({ ...wang, address: '3号' }, { ...wang, address: '1号' }, { ...wang, address: '2号' });
		expect(listHouseholds(doc).map((h) => h.address)).toEqual(['1号', '2号', '3号']);
		expect(countByColour(listHouseholds(doc))).toEqual({ red: 0, orange: 3, yellow: 0, green: 0 });
	});
});

describe('updateHousehold', () => {
	it('changes only the given fields', () => {
		const { doc, ids } = gridWith(wang);
		updateHousehold(doc, ids[0], { head: '王小明', size: 4, tags: ['elderly', 'child'] });
		expect(readHousehold(doc, ids[0])).toMatchObject({ head: '王小明', size: 4, tags: ['elderly', 'child'], address: wang.address, phone: wang.phone });
	});

	it('writes nothing when nothing changes', () => {
		const { doc, ids } = gridWith(wang);
		let updates = 0;
		doc.on('update', () => updates++);
		updateHousehold(doc, ids[0], { head: wang.head, tags: [...wang.tags] });
		expect(updates).toBe(0);
	});

	it.each([
		['address', { address: 'x'.repeat(201) }, 'invalidAddress'],
		['address', { address: 42 }, 'invalidAddress'],
		['head', { head: 'x'.repeat(101) }, 'invalidHead'],
		['head', { head: null }, 'invalidHead'],
		['size', { size: 2.5 }, 'invalidSize'],
		['size', { size: 100 }, 'invalidSize'],
		['size', { size: '3' }, 'invalidSize'],
		['size', { size: NaN }, 'invalidSize'],
		['phone', { phone: '138-abc' }, 'invalidPhone'],
		['phone', { phone: '1'.repeat(21) }, 'invalidPhone'],
		['phone', { phone: '<script>' }, 'invalidPhone'],
		['tags', { tags: ['vip'] }, 'invalidTags'],
		['tags', { tags: 'elderly' }, 'invalidTags'],
		['tags', { tags: ['__proto__'] }, 'invalidTags']
	])('refuses a bad %s (%j) and keeps the household as it was', (_field, patch, code) => {
		const { doc, ids } = gridWith(wang);
		const before = readHousehold(doc, ids[0]);
		expectDomainError(() => updateHousehold(doc, ids[0], patch as never), code);
		expect(readHousehold(doc, ids[0])).toEqual(before);
	});

	it('accepts the limits: 200-character address, size 0 and 99, empty phone', () => {
		const { doc, ids } = gridWith(wang);
		updateHousehold(doc, ids[0], { address: '址'.repeat(200), size: 0, phone: '' });
		expect(readHousehold(doc, ids[0])).toMatchObject({ address: '址'.repeat(200), size: 0, phone: '' });
		updateHousehold(doc, ids[0], { size: 99 });
		expect(readHousehold(doc, ids[0])?.size).toBe(99);
	});

	it('cannot change the colour behind the history’s back', () => {
		const { doc, ids } = gridWith(wang);
		updateHousehold(doc, ids[0], { colour: 'red', head: '王小明' } as never);
		expect(readHousehold(doc, ids[0])?.colour).toBe('orange');
		expect(colourHistory(doc, ids[0])).toHaveLength(1);
	});

	it('refuses an unknown household', () => {
		const { doc } = gridWith(wang);
		expectDomainError(() => updateHousehold(doc, 'nobody', { head: 'x' }), 'unknownHousehold');
		expectDomainError(() => updateHousehold(doc, '__proto__', { head: 'x' }), 'unknownHousehold');
	});

	it('keeps both edits when two tablets change different fields of one household offline', () => {
		const { doc: a, ids } = gridWith(wang);
		const b = new Y.Doc();
		sync(a, b);
		updateHousehold(a, ids[0], { phone: '139 0000 0000' });
		updateHousehold(b, ids[0], { head: '李梅', tags: ['elderly', 'disabled'] });
		sync(a, b);
		const expected = { phone: '139 0000 0000', head: '李梅', tags: ['elderly', 'disabled'] };
		expect(readHousehold(a, ids[0])).toMatchObject(expected);
		expect(readHousehold(b, ids[0])).toEqual(readHousehold(a, ids[0]));
	});

	it('settles on one value on both tablets when they change the same field', () => {
		const { doc: a, ids } = gridWith(wang);
		const b = new Y.Doc();
		sync(a, b);
		updateHousehold(a, ids[0], { size: 5 });
		updateHousehold(b, ids[0], { size: 6 });
		sync(a, b);
		expect([5, 6]).toContain(readHousehold(a, ids[0])?.size);
		expect(readHousehold(b, ids[0])).toEqual(readHousehold(a, ids[0]));
	});
});

describe('changeColour', () => {
	it('changes the colour and appends who, when, why to the history', () => {
		const { doc, ids } = gridWith(wang);
		changeColour(doc, ids[0], 'red', '  邻里纠纷升级  ', 'u-liaison', '2026-11-24T10:00:00.000Z');
		expect(readHousehold(doc, ids[0])?.colour).toBe('red');
		expect(colourHistory(doc, ids[0])).toEqual([
			{ householdId: ids[0], from: null, to: 'orange', reason: '登记', by: 'u-worker', at: AT },
			{ householdId: ids[0], from: 'orange', to: 'red', reason: '邻里纠纷升级', by: 'u-liaison', at: '2026-11-24T10:00:00.000Z' }
		]);
		expect(countByColour(listHouseholds(doc))).toEqual({ red: 1, orange: 0, yellow: 0, green: 0 });
	});

	it('requires a reason', () => {
		const { doc, ids } = gridWith(wang);
		for (const reason of ['', '   ', '\n\t', undefined, null]) {
			expectDomainError(() => changeColour(doc, ids[0], 'red', reason as never, 'u'), 'reasonRequired');
		}
		expectDomainError(() => changeColour(doc, ids[0], 'red', 'x'.repeat(501), 'u'), 'reasonTooLong');
		expect(readHousehold(doc, ids[0])?.colour).toBe('orange');
		expect(colourHistory(doc, ids[0])).toHaveLength(1);
	});

	it('refuses an unknown colour or household', () => {
		const { doc, ids } = gridWith(wang);
		expectDomainError(() => changeColour(doc, ids[0], 'purple' as never, '原因', 'u'), 'invalidColour');
		expectDomainError(() => changeColour(doc, 'nobody', 'red', '原因', 'u'), 'unknownHousehold');
	});

	it('records nothing when the colour stays the same', () => {
		const { doc, ids } = gridWith(wang);
		changeColour(doc, ids[0], 'orange', '复核', 'u');
		expect(colourHistory(doc, ids[0])).toHaveLength(1);
	});

	it('keeps the history of each household apart', () => {
		const { doc, ids } = gridWith(wang, { ...wang, address: '枫源村3组13号', colour: 'green' });
		changeColour(doc, ids[1], 'yellow', '租户更换', 'u');
		expect(colourHistory(doc, ids[0]).map((e) => e.to)).toEqual(['orange']);
		expect(colourHistory(doc, ids[1]).map((e) => e.to)).toEqual(['green', 'yellow']);
	});

	it('keeps both changes in the history when two tablets recolour one household offline', () => {
		const { doc: a, ids } = gridWith(wang);
		const b = new Y.Doc();
		sync(a, b);
		changeColour(a, ids[0], 'red', '突发困难', 'u-a', '2026-11-24T10:00:00.000Z');
		changeColour(b, ids[0], 'green', '情况稳定', 'u-b', '2026-11-24T10:01:00.000Z');
		sync(a, b);
		const colour = readHousehold(a, ids[0])?.colour;
		expect(['red', 'green']).toContain(colour);
		expect(readHousehold(b, ids[0])?.colour).toBe(colour);
		expect(colourHistory(a, ids[0]).map((e) => e.reason).sort()).toEqual(['情况稳定', '登记', '突发困难'].sort());
		expect(colourHistory(b, ids[0])).toEqual(colourHistory(a, ids[0]));
	});
});

describe('observeGrid', () => {
	it('reports changes to households, colours and metadata until stopped', () => {
		const { doc, ids } = gridWith(wang);
		let calls = 0;
		const stop = observeGrid(doc, () => calls++);
		updateHousehold(doc, ids[0], { head: '王小明' });
		changeColour(doc, ids[0], 'red', '原因', 'u');
		setGridMeta(doc, { name: 'g' });
		expect(calls).toBe(3);
		stop();
		updateHousehold(doc, ids[0], { head: '王大明' });
		expect(calls).toBe(3);
	});
});
