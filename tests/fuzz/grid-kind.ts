/**
 * The grid document for the convergence fuzzer: random input to the named mutations of
 * src/lib/domain/grid-doc.ts (addHousehold, updateHousehold, changeColour, setGridMeta), some
 * of it deliberately invalid, which the domain must refuse without touching the document.
 */
import * as Y from 'yjs';
import {
	addHousehold,
	changeColour,
	colourHistory,
	COLOURS,
	countByColour,
	DomainError,
	HOUSEHOLD_TAGS,
	listHouseholds,
	readGridMeta,
	setGridMeta,
	updateHousehold,
	type HouseholdFields,
	type HouseholdTag
} from '../../src/lib/domain/index.ts';
import type { FuzzDocKind, OpOutcome } from './doc-kind.ts';
import type { Rng } from './rng.ts';

const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const T0 = Date.parse('2026-11-01T00:00:00.000Z');

const timestamp = (rng: Rng) => new Date(T0 + rng.int(0, 30 * 24 * 3600) * 1000).toISOString();

function tags(rng: Rng): HouseholdTag[] {
	return HOUSEHOLD_TAGS.filter(() => rng.chance(0.25));
}

function validPatch(rng: Rng): Partial<HouseholdFields> {
	const patch: Partial<HouseholdFields> = {};
	if (rng.chance(0.4)) patch.address = `枫源村${rng.int(1, 9)}组${rng.int(1, 99)}号${rng.text(0, 4)}`;
	if (rng.chance(0.4)) patch.head = rng.text(2, 3, SURNAMES);
	if (rng.chance(0.4)) patch.size = rng.int(0, 99);
	if (rng.chance(0.3)) patch.phone = `1${rng.text(2, 2, '3456789')} ${rng.text(4, 4, '0123456789')} ${rng.text(4, 4, '0123456789')}`;
	if (rng.chance(0.3)) patch.tags = tags(rng);
	if (Object.keys(patch).length === 0) patch.size = rng.int(0, 99);
	return patch;
}

const INVALID_PATCHES: ReadonlyArray<Record<string, unknown>> = [
	{ address: 'x'.repeat(201) },
	{ head: 42 },
	{ size: -1 },
	{ size: 3.5 },
	{ phone: 'call me' },
	{ tags: ['vip'] },
	{ tags: 'elderly' }
];

function householdIds(doc: Y.Doc): string[] {
	return listHouseholds(doc).map((h) => h.id);
}

/** Runs `mutate`, which must throw a DomainError and leave `doc` exactly as it was. */
function expectRefusal(doc: Y.Doc, what: string, mutate: () => void): OpOutcome {
	const before = Y.encodeStateVector(doc);
	try {
		mutate();
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		if (!equalBytes(before, Y.encodeStateVector(doc))) throw new Error(`${what}: refused but the document changed`);
		return 'refused';
	}
	throw new Error(`${what}: invalid input was accepted`);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const gridKind: FuzzDocKind = {
	name: 'grid',
	roots: { meta: 'map', households: 'map', colourEvents: 'array', visits: 'array', wishes: 'map' },
	ops: {
		addHousehold: {
			weight: 3,
			run(doc, rng, actor) {
				const id = Array.from({ length: 26 }, () => BASE32[rng.int(0, 31)]).join('');
				addHousehold(
					doc,
					{
						address: `枫源村${rng.int(1, 9)}组${rng.int(1, 99)}号`,
						lng: 120.24 + rng.int(0, 1000) / 1e5,
						lat: 29.71 + rng.int(0, 1000) / 1e5,
						head: rng.text(2, 3, SURNAMES),
						size: rng.int(1, 8),
						phone: '',
						tags: tags(rng),
						colour: rng.pick(COLOURS)
					},
					actor,
					timestamp(rng),
					id
				);
				return 'applied';
			}
		},
		updateHousehold: {
			weight: 6,
			run(doc, rng) {
				const ids = householdIds(doc);
				if (ids.length === 0) return expectRefusal(doc, 'updateHousehold(unknown)', () => updateHousehold(doc, 'nobody', { size: 1 }));
				const id = rng.pick(ids);
				if (rng.chance(0.1)) {
					const bad = rng.pick(INVALID_PATCHES);
					return expectRefusal(doc, `updateHousehold(${JSON.stringify(bad).slice(0, 40)})`, () => updateHousehold(doc, id, bad as never));
				}
				updateHousehold(doc, id, validPatch(rng));
				return 'applied';
			}
		},
		changeColour: {
			weight: 3,
			run(doc, rng, actor) {
				const ids = householdIds(doc);
				if (ids.length === 0) return expectRefusal(doc, 'changeColour(unknown)', () => changeColour(doc, 'nobody', 'red', '原因', actor));
				const id = rng.pick(ids);
				if (rng.chance(0.1)) return expectRefusal(doc, 'changeColour(no reason)', () => changeColour(doc, id, rng.pick(COLOURS), rng.pick(['', '  ']), actor));
				changeColour(doc, id, rng.pick(COLOURS), rng.pick(['走访发现独居', '纠纷已调解', '租户更换', '病情好转', '突发困难']), actor, timestamp(rng));
				return 'applied';
			}
		},
		setGridMeta: {
			weight: 1,
			run(doc, rng) {
				const x = 120.24 + rng.int(0, 9) / 1000;
				const y = 29.71 + rng.int(0, 9) / 1000;
				setGridMeta(
					doc,
					{
						...(rng.chance(0.7) ? { name: `第${rng.int(1, 9)}网格` } : {}),
						...(rng.chance(0.3) ? { communityId: rng.pick(['c1', 'c2']) } : {}),
						...(rng.chance(0.3)
							? { boundary: { type: 'Polygon' as const, coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y]]] } }
							: {})
					},
					timestamp(rng)
				);
				return 'applied';
			}
		}
	},
	read(doc) {
		const households = listHouseholds(doc);
		return {
			meta: readGridMeta(doc),
			households,
			counts: countByColour(households),
			histories: Object.fromEntries(households.map((h) => [h.id, colourHistory(doc, h.id)]))
		};
	},
	checkInvariants(doc) {
		for (const h of listHouseholds(doc)) {
			const history = colourHistory(doc, h.id);
			if (history.length === 0) throw new Error(`household ${h.id} has no colour history`);
			if (!history.some((e) => e.from === null)) throw new Error(`household ${h.id} has no registration event`);
			if (!history.some((e) => e.to === h.colour)) throw new Error(`household ${h.id} is ${h.colour}, which no colour event explains`);
		}
	}
};
