/**
 * Demo grid boundaries: six quadrilaterals around lng 120.24, lat 29.71 (two rows of three,
 * community c1 to the north, c2 to the south), each about 300 m across with 40 m between
 * neighbours. Corners move only inwards, so the boundaries never overlap and the inner
 * rectangle where households are placed is always inside its grid.
 */
import type { Polygon } from '../../src/lib/domain/grid-doc.ts';
import type { Random } from './random.ts';

const CENTRE = { lng: 120.24, lat: 29.71 };
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LNG = 111_320 * Math.cos((CENTRE.lat * Math.PI) / 180);
const SIZE_M = 300;
const GAP_M = 40;
/** How far corners may move inwards, and the margin kept free of households. */
const JITTER_M = 25;

export interface GridArea {
	boundary: Polygon;
	/** Where households go: [minLng, minLat, maxLng, maxLat], inside the boundary. */
	inner: [number, number, number, number];
}

/** The area of the grid at `row` (0 north, 1 south) and `col` (0–2, west to east). */
export function gridArea(random: Random, row: number, col: number): GridArea {
	const x0 = (col - 1.5) * (SIZE_M + GAP_M) + GAP_M / 2;
	const y1 = (1 - row) * (SIZE_M + GAP_M) - GAP_M / 2;
	const x1 = x0 + SIZE_M;
	const y0 = y1 - SIZE_M;
	const j = () => random.next() * JITTER_M;
	// Corners in metres from the centre, counter-clockwise from south-west, each moved inwards.
	const corners: [number, number][] = [
		[x0 + j(), y0 + j()],
		[x1 - j(), y0 + j()],
		[x1 - j(), y1 - j()],
		[x0 + j(), y1 - j()]
	];
	const toLngLat = ([x, y]: [number, number]): number[] => [
		round(CENTRE.lng + x / M_PER_DEG_LNG),
		round(CENTRE.lat + y / M_PER_DEG_LAT)
	];
	const ring = corners.map(toLngLat);
	ring.push([...ring[0]]);
	const m = JITTER_M + 5;
	const [minLng, minLat] = toLngLat([x0 + m, y0 + m]);
	const [maxLng, maxLat] = toLngLat([x1 - m, y1 - m]);
	return { boundary: { type: 'Polygon', coordinates: [ring] }, inner: [minLng, minLat, maxLng, maxLat] };
}

function round(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}
