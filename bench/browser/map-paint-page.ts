/**
 * Row 2's floor (bundled by bench/map-paint.ts): MapLibre alone, no app, painting the same
 * households from a static GeoJSON with the app's own style (src/lib/map/style.ts) and map
 * options. The GeoJSON is fetched while the map starts; once the map has loaded, it is handed
 * to the household source and framed as the app frames it, and the first 'idle' after that
 * (the first frame with every point, see src/lib/map/painted-mark.ts) records
 * 'bare:map-painted' with the number of features.
 */
import maplibregl, { type GeoJSONSource } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, Point } from 'geojson';
import { bounds } from '../../src/lib/map/features.ts';
import { SOURCES, gridStyle } from '../../src/lib/map/style.ts';

const data: Promise<FeatureCollection<Point>> = fetch('/households.geojson').then((r) => r.json());

const map = new maplibregl.Map({
	container: 'map',
	style: gridStyle(),
	center: [120.24, 29.71],
	zoom: 15,
	attributionControl: false,
	dragRotate: false,
	pitchWithRotate: false,
	touchPitch: false
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
map.on('load', async () => {
	const collection = await data;
	map.getSource<GeoJSONSource>(SOURCES.households)!.setData(collection);
	const b = bounds(collection.features.map((f) => f.geometry.coordinates));
	if (b) map.fitBounds(b, { padding: 32, animate: false });
	map.once('idle', () => performance.mark('bare:map-painted', { detail: { households: collection.features.length } }));
});
