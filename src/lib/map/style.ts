/**
 * The map style: a plain background and our own sources only. No external tiles and no
 * glyphs exist offline, so there are no text symbol layers; labels live in the list beside
 * the map. Households are circles coloured by a `match` on their `colour` property.
 */
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import { COLOURS, COLOUR_HEX, type Colour } from '$lib/domain';
import { ID_PROPERTY } from './features.ts';

export const SOURCES = { boundary: 'boundary', households: 'households' } as const;
export const LAYERS = {
	boundaryFill: 'boundary-fill',
	boundaryLine: 'boundary-line',
	households: 'households',
	selected: 'households-selected'
} as const;

const colourMatch = [
	'match',
	['get', 'colour'],
	...COLOURS.flatMap((c) => [c, COLOUR_HEX[c]]),
	'#888888'
] as unknown as ExpressionSpecification;

export function visibleFilter(colours: readonly Colour[]): ExpressionSpecification {
	return ['in', ['get', 'colour'], ['literal', [...colours]]];
}

/** By the id property itself: a promoted id serves feature lookups, not filter expressions. */
export function selectedFilter(id: string | null): ExpressionSpecification {
	return ['==', ['get', ID_PROPERTY], id ?? ''];
}

const empty = { type: 'FeatureCollection', features: [] } as FeatureCollection;

export function gridStyle(): StyleSpecification {
	return {
		version: 8,
		sources: {
			[SOURCES.boundary]: { type: 'geojson', data: empty },
			[SOURCES.households]: { type: 'geojson', data: empty, promoteId: ID_PROPERTY }
		},
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#eef0ec' } },
			{ id: LAYERS.boundaryFill, type: 'fill', source: SOURCES.boundary, paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.85 } },
			{
				id: LAYERS.boundaryLine,
				type: 'line',
				source: SOURCES.boundary,
				paint: { 'line-color': '#3d5a80', 'line-width': 2, 'line-dasharray': [3, 1.5] }
			},
			{
				id: LAYERS.selected,
				type: 'circle',
				source: SOURCES.households,
				filter: selectedFilter(null),
				paint: { 'circle-radius': 13, 'circle-color': '#1d3557', 'circle-opacity': 0.25, 'circle-stroke-width': 2, 'circle-stroke-color': '#1d3557' }
			},
			{
				id: LAYERS.households,
				type: 'circle',
				source: SOURCES.households,
				paint: {
					'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 4, 16, 7, 18, 10],
					'circle-color': colourMatch,
					// an overdue visit: a thick dark ring (readable without colour too)
					'circle-stroke-width': ['case', ['==', ['get', 'overdue'], true], 3, 1.5],
					'circle-stroke-color': ['case', ['==', ['get', 'overdue'], true], '#2b0a0f', '#ffffff']
				}
			}
		]
	};
}
