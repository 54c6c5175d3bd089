/**
 * Random edits of a grid document through the domain's named mutations (what a grid worker's
 * tablet does): register a household, change its fields, change its colour with a reason, rename
 * the grid. Deterministic for a given random generator and document state.
 */
import type * as Y from 'yjs';
import { COLOURS } from '../../../src/lib/domain/colours.ts';
import { addHousehold, changeColour, HOUSEHOLD_TAGS, listHouseholds, setGridMeta, updateHousehold } from '../../../src/lib/domain/grid-doc.ts';
import type { Rng } from '../../fuzz/rng.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const REASONS = ['走访发现独居', '纠纷已调解', '租户更换', '病情好转', '突发困难'];

export const GRID_EDITS: Readonly<Record<string, { weight: number; run(doc: Y.Doc, rng: Rng, actor: string): void }>> = {
	addHousehold: {
		weight: 2,
		run(doc, rng, actor) {
			addHousehold(
				doc,
				{
					address: `枫源村${rng.int(1, 9)}组${rng.int(1, 99)}号`,
					lng: 120.24 + rng.int(0, 1000) / 1e5,
					lat: 29.71 + rng.int(0, 1000) / 1e5,
					head: rng.text(2, 3, SURNAMES),
					size: rng.int(1, 8),
					phone: '',
					tags: HOUSEHOLD_TAGS.filter(() => rng.chance(0.25)),
					colour: rng.pick(COLOURS)
				},
				actor
			);
		}
	},
	updateHousehold: {
		weight: 8,
		run(doc, rng) {
			const id = rng.pick(listHouseholds(doc)).id;
			const patch = rng.chance(0.5)
				? { head: rng.text(2, 3, SURNAMES), size: rng.int(1, 9) }
				: rng.chance(0.5)
					? { phone: `138${rng.text(8, 8, '0123456789')}` }
					: { address: `枫源村${rng.int(1, 9)}组${rng.int(1, 99)}号${rng.text(0, 3)}` };
			updateHousehold(doc, id, patch);
		}
	},
	changeColour: {
		weight: 3,
		run(doc, rng, actor) {
			changeColour(doc, rng.pick(listHouseholds(doc)).id, rng.pick(COLOURS), rng.pick(REASONS), actor);
		}
	},
	setGridMeta: {
		weight: 1,
		run(doc, rng) {
			setGridMeta(doc, { name: `第${rng.int(1, 9)}网格` });
		}
	}
};

/** Picks an edit by weight. */
export function pickEdit(rng: Rng): string {
	return rng.weighted(Object.fromEntries(Object.entries(GRID_EDITS).map(([k, v]) => [k, v.weight])));
}
