/**
 * A User Timing mark for "the grid map has painted all its households", once per page load:
 * `performance.mark('tongxin:map-painted', { detail: { households, source } })`. Its startTime
 * counts from the navigation start, so it reads as navigation → map painted in the field and
 * in the bench (bench/map-paint.ts).
 *
 * Painted means: MapLibre fired 'idle' after the household source was given every household.
 * setData/updateData mark the GeoJSON source as loading synchronously (until its worker has the
 * data and the tiles are rebuilt), and 'idle' fires only at the end of a frame drawn with every
 * source loaded and no camera or fade transition running, so the first 'idle' after the data
 * was handed over is the first frame that shows all of it. A repaint is requested when arming,
 * so a map that was already idle fires 'idle' again after one more frame.
 */
import type { Map as MlMap } from 'maplibre-gl';

export const MAP_PAINTED_MARK = 'tongxin:map-painted';

export interface MapPaintedDetail {
	households: number;
	/** Where the grid's complete copy came from: this device's IndexedDB, or the server. */
	source: 'device' | 'server';
}

let marked = false;

/**
 * Records the mark after the next 'idle' of `map` with `sourceId` loaded; call right after
 * handing the source all `households`. Returns a cancel function (for newer data, or the
 * map going away). Does nothing once the page has its mark.
 */
export function markWhenPainted(map: MlMap, sourceId: string, detail: MapPaintedDetail): () => void {
	if (marked) return () => {};
	const onIdle = () => {
		if (marked) return;
		// 'idle' implies every source is loaded; checked anyway (cheap), in case that ever changes
		if (!map.isSourceLoaded(sourceId)) return void map.once('idle', onIdle);
		marked = true;
		performance.mark(MAP_PAINTED_MARK, { detail });
	};
	map.once('idle', onIdle);
	map.triggerRepaint();
	return () => map.off('idle', onIdle);
}
