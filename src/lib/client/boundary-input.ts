/**
 * What an admin pastes or uploads as a grid boundary: a GeoJSON Polygon, a Feature holding
 * one, or a FeatureCollection with exactly one such Feature. The Polygon is sent to the
 * server, which alone judges it (closed rings, finite coordinates, point limit).
 */
export type BoundaryInput = { ok: true; polygon: unknown } | { ok: false; reason: 'invalidJson' | 'notPolygon'; message: string };

export function readBoundaryInput(text: string): BoundaryInput {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		return { ok: false, reason: 'invalidJson', message: e instanceof Error ? e.message : String(e) };
	}
	const typeOf = (v: unknown) => (v && typeof v === 'object' ? (v as { type?: unknown }).type : undefined);
	if (typeOf(value) === 'FeatureCollection') {
		const features = (value as { features?: unknown }).features;
		if (!Array.isArray(features) || features.length !== 1)
			return { ok: false, reason: 'notPolygon', message: 'a FeatureCollection must hold exactly one Feature' };
		value = features[0];
	}
	if (typeOf(value) === 'Feature') value = (value as { geometry?: unknown }).geometry;
	if (typeOf(value) !== 'Polygon') return { ok: false, reason: 'notPolygon', message: 'expected a GeoJSON Polygon (or a Feature holding one)' };
	return { ok: true, polygon: value };
}
