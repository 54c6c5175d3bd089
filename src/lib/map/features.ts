/**
 * Households as GeoJSON features, and the difference between two sets of them, so live
 * changes reach the map through GeoJSONSource.updateData instead of re-sending everything.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { Household } from '$lib/domain';

/** The property that carries the household id; the source promotes it to the feature id. */
export const ID_PROPERTY = 'hid';

export type HouseholdFeature = Feature<Point, { hid: string; colour: string; overdue: boolean }>;

/** Whether the household's next visit is past due (the map rings it). */
export const overdue = (h: Household, now: number = Date.now()): boolean => h.nextVisitDue !== null && Date.parse(h.nextVisitDue) < now;

export function toFeature(h: Household): HouseholdFeature {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [h.lng, h.lat] },
		properties: { [ID_PROPERTY]: h.id, colour: h.colour, overdue: overdue(h) } as { hid: string; colour: string; overdue: boolean }
	};
}

export function toCollection(households: readonly Household[]): FeatureCollection<Point> {
	return { type: 'FeatureCollection', features: households.map(toFeature) };
}

/** The diff from `before` to `after`, or null when nothing the map shows changed. */
export function householdDiff(before: ReadonlyMap<string, Household>, after: readonly Household[]): GeoJSONSourceDiff | null {
	const add: HouseholdFeature[] = [];
	const update: NonNullable<GeoJSONSourceDiff['update']> = [];
	const seen = new Set<string>();
	for (const h of after) {
		seen.add(h.id);
		const old = before.get(h.id);
		if (!old) add.push(toFeature(h));
		else if (old.lng !== h.lng || old.lat !== h.lat || old.colour !== h.colour || overdue(old) !== overdue(h))
			update.push({
				id: h.id,
				newGeometry: { type: 'Point', coordinates: [h.lng, h.lat] },
				addOrUpdateProperties: [
					{ key: 'colour', value: h.colour },
					{ key: 'overdue', value: overdue(h) }
				]
			});
	}
	const remove = [...before.keys()].filter((id) => !seen.has(id));
	if (!add.length && !update.length && !remove.length) return null;
	return { add, update, remove };
}

/** The bounds [[west, south], [east, north]] of a set of coordinates, or null if empty. */
export function bounds(points: readonly number[][]): [[number, number], [number, number]] | null {
	if (points.length === 0) return null;
	let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
	for (const [x, y] of points) {
		w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
	}
	return [[w, s], [e, n]];
}
