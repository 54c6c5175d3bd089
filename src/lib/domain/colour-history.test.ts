import { describe, expect, it } from 'vitest';
import { readColourHistory } from './colour-history.ts';
import type { ColourEvent } from './grid-doc.ts';

const ev = (from: ColourEvent['from'], to: ColourEvent['to'], at: string, by: string): ColourEvent => ({ householdId: 'h1', from, to, reason: '', by, at });

describe('readColourHistory', () => {
	it('marks the change that lost to a concurrent one, whichever came first in time', () => {
		const a = ev('green', 'red', '2026-11-01T10:00:00Z', 'u-a');
		const b = ev('green', 'yellow', '2026-11-01T10:05:00Z', 'u-b');
		expect(readColourHistory([b, a], 'yellow').map((e) => [e.by, e.lost])).toEqual([
			['u-a', true],
			['u-b', false]
		]);
		expect(readColourHistory([a, b], 'red').map((e) => [e.by, e.lost])).toEqual([
			['u-a', false],
			['u-b', true]
		]);
	});

	it('a plain sequence has nothing lost', () => {
		const h = readColourHistory([ev(null, 'green', '2026-11-01T00:00:00Z', 'x'), ev('green', 'red', '2026-11-02T00:00:00Z', 'y'), ev('red', 'orange', '2026-11-03T00:00:00Z', 'z')], 'orange');
		expect(h.map((e) => e.lost)).toEqual([false, false, false]);
	});
});
