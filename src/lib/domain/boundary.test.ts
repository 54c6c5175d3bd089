import { describe, expect, it } from 'vitest';
import { checkBoundary, MAX_BOUNDARY_POINTS } from './boundary.ts';

const square = [
	[120.24, 29.71],
	[120.25, 29.71],
	[120.25, 29.72],
	[120.24, 29.72],
	[120.24, 29.71]
];

describe('checkBoundary', () => {
	it('accepts a closed polygon and drops altitudes', () => {
		const r = checkBoundary({ type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 12])] });
		expect(r).toEqual({ ok: true, polygon: { type: 'Polygon', coordinates: [square] } });
	});

	it.each([
		['null', null, /GeoJSON object/],
		['an array', [square], /GeoJSON object/],
		['another geometry', { type: 'LineString', coordinates: square }, /Polygon/],
		['no rings', { type: 'Polygon', coordinates: [] }, /at least one ring/],
		['an open ring', { type: 'Polygon', coordinates: [square.slice(0, 4)] }, /not closed/],
		['too few positions', { type: 'Polygon', coordinates: [[square[0], square[1], square[0]]] }, /at least 4/],
		['a NaN', { type: 'Polygon', coordinates: [[...square.slice(0, 2), [Number.NaN, 1], ...square.slice(3)]] }, /finite/],
		['a string coordinate', { type: 'Polygon', coordinates: [[...square.slice(0, 2), ['120', '29'], ...square.slice(3)]] }, /finite/],
		['an out-of-range latitude', { type: 'Polygon', coordinates: [[...square.slice(0, 2), [120, 95], ...square.slice(3)]] }, /outside/],
		['a position of one number', { type: 'Polygon', coordinates: [[...square.slice(0, 2), [120], ...square.slice(3)]] }, /\[longitude, latitude\]/]
	])('refuses %s', (_name, value, message) => {
		const r = checkBoundary(value);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(message);
	});

	it(`refuses more than ${MAX_BOUNDARY_POINTS} points in all`, () => {
		const ring = Array.from({ length: MAX_BOUNDARY_POINTS }, (_, i) => [120 + i / 1e5, 29.7 + (i % 2) / 1e3]);
		ring.push(ring[0]);
		const r = checkBoundary({ type: 'Polygon', coordinates: [ring] });
		expect(r.ok).toBe(false);
		expect(checkBoundary({ type: 'Polygon', coordinates: [ring.slice(0, MAX_BOUNDARY_POINTS - 1).concat([ring[0]])] }).ok).toBe(true);
	});
});
