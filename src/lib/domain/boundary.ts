/**
 * Grid boundaries: a GeoJSON Polygon (RFC 7946) checked before it is stored in a grid
 * document. Boundaries are drawn on a tablet or imported from a file, so the check is strict
 * and says what is wrong: every ring closed (first position equals last) with at least four
 * positions, every coordinate a finite number within longitude/latitude range, at most
 * MAX_BOUNDARY_POINTS positions in all. Altitudes are dropped.
 */
import type { Polygon } from './grid-doc.ts';

export const MAX_BOUNDARY_POINTS = 5000;

/** Why a boundary was refused, as a code the client translates (`boundary.<reason>`). */
export type BoundaryProblem = 'notPolygon' | 'noRing' | 'tooManyPoints' | 'tooFewPositions' | 'badPosition' | 'outOfRange' | 'notClosed';

export type BoundaryCheck = { ok: true; polygon: Polygon } | { ok: false; reason: BoundaryProblem; message: string };

export function checkBoundary(value: unknown): BoundaryCheck {
	const fail = (reason: BoundaryProblem, message: string): BoundaryCheck => ({ ok: false, reason, message });
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('notPolygon', 'a boundary must be a GeoJSON object');
	const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
	if (type !== 'Polygon') return fail('notPolygon', 'a boundary must be a GeoJSON Polygon');
	if (!Array.isArray(coordinates) || coordinates.length === 0) return fail('noRing', 'a Polygon needs at least one ring');
	let points = 0;
	const rings: number[][][] = [];
	for (const [r, ring] of coordinates.entries()) {
		if (!Array.isArray(ring)) return fail('badPosition', `ring ${r} must be an array of positions`);
		points += ring.length;
		if (points > MAX_BOUNDARY_POINTS) return fail('tooManyPoints', `a boundary has at most ${MAX_BOUNDARY_POINTS} points`);
		if (ring.length < 4) return fail('tooFewPositions', `ring ${r} needs at least 4 positions (a closed triangle)`);
		const out: number[][] = [];
		for (const [p, position] of ring.entries()) {
			if (!Array.isArray(position) || position.length < 2 || position.length > 3)
				return fail('badPosition', `ring ${r} position ${p} must be [longitude, latitude]`);
			const [lng, lat] = position as unknown[];
			if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat))
				return fail('badPosition', `ring ${r} position ${p} must hold finite numbers`);
			if (lng < -180 || lng > 180 || lat < -90 || lat > 90)
				return fail('outOfRange', `ring ${r} position ${p} is outside longitude −180…180 / latitude −90…90`);
			out.push([lng, lat]);
		}
		const first = out[0];
		const last = out[out.length - 1];
		if (first[0] !== last[0] || first[1] !== last[1]) return fail('notClosed', `ring ${r} is not closed: its last position must equal its first`);
		rings.push(out);
	}
	return { ok: true, polygon: { type: 'Polygon', coordinates: rings } };
}
