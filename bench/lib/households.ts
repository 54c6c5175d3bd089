/** A grid of `count` plausible households, made with the domain's own mutation. */
import type * as Y from 'yjs';
import { COLOURS } from '../../src/lib/domain/colours.ts';
import { addHousehold, HOUSEHOLD_TAGS } from '../../src/lib/domain/grid-doc.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '建国秀英志强桂兰国平建华敏芳军伟丽娜静磊洋勇艳杰';

export function fillGrid(doc: Y.Doc, count: number, prefix = 'h'): void {
	const at = '2026-11-23T08:00:00.000Z';
	for (let i = 0; i < count; i++) {
		addHousehold(
			doc,
			{
				address: `枫桥镇枫源村${(i % 12) + 1}组${i + 1}号`,
				lng: 120.24 + (i % 40) * 0.0003,
				lat: 29.71 + Math.floor(i / 40) * 0.0003,
				head: SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + GIVEN[(i * 3) % GIVEN.length],
				size: (i % 6) + 1,
				phone: `138 ${String(1000 + (i % 9000)).padStart(4, '0')} ${String((i * 37) % 10000).padStart(4, '0')}`,
				tags: HOUSEHOLD_TAGS.filter((_, t) => (i + t) % 5 === 0),
				colour: COLOURS[i % 7 === 0 ? 0 : i % 5 === 0 ? 1 : i % 3 === 0 ? 2 : 3]
			},
			'bench-admin', // the bench admin's own name: the server refuses records in another's
			at,
			`${prefix}${String(i).padStart(5, '0')}`
		);
	}
}
