import { describe, expect, it } from 'vitest';
import { readBoundaryInput } from './boundary-input.ts';

const polygon = { type: 'Polygon', coordinates: [[[120.2, 29.7], [120.3, 29.7], [120.3, 29.8], [120.2, 29.7]]] };

describe('readBoundaryInput', () => {
	it('takes a Polygon, a Feature or a one-Feature collection', () => {
		expect(readBoundaryInput(JSON.stringify(polygon))).toEqual({ ok: true, polygon });
		expect(readBoundaryInput(JSON.stringify({ type: 'Feature', properties: {}, geometry: polygon }))).toEqual({ ok: true, polygon });
		const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon }] };
		expect(readBoundaryInput(JSON.stringify(fc))).toEqual({ ok: true, polygon });
	});

	it('says what is wrong otherwise', () => {
		expect(readBoundaryInput('{not json')).toMatchObject({ ok: false, reason: 'invalidJson' });
		expect(readBoundaryInput(JSON.stringify({ type: 'Point', coordinates: [1, 2] }))).toMatchObject({ ok: false, reason: 'notPolygon' });
		expect(readBoundaryInput(JSON.stringify({ type: 'FeatureCollection', features: [] }))).toMatchObject({ ok: false, reason: 'notPolygon' });
		expect(readBoundaryInput('null')).toMatchObject({ ok: false, reason: 'notPolygon' });
	});

	it('leaves the geometry checks to the server (an open ring still goes through)', () => {
		const open = { type: 'Polygon', coordinates: [[[1, 1], [2, 1], [2, 2], [1, 2]]] };
		expect(readBoundaryInput(JSON.stringify(open))).toEqual({ ok: true, polygon: open });
	});
});
