import { describe, expect, it } from 'vitest';
import { paletteColour, presenceCursor, PRESENCE_PALETTE, userColour } from './presence.ts';

describe('presence', () => {
	it('gives every user a palette colour, the same each time', () => {
		for (const id of ['u1', 'u-admin', '张建华', '']) {
			expect(PRESENCE_PALETTE).toContain(userColour(id));
			expect(userColour(id)).toBe(userColour(id));
		}
	});

	it('draws only palette colours', () => {
		expect(paletteColour('#0958d9')).toBe('#0958d9');
		for (const bad of ['url(https://attacker.example/x.png)', 'red', '#000', 'var(--x)', 42, null, undefined, { toString: () => '#0958d9' }])
			expect(paletteColour(bad)).toBe('#888888');
	});

	it('keeps a caret made of two relative positions and nothing else', () => {
		const pos = { type: { client: 1, clock: 2 }, tname: null, item: { client: 3, clock: 4 }, assoc: 0 };
		expect(presenceCursor({ anchor: pos, head: { ...pos, extra: 'x'.repeat(10_000) } })).toEqual({ anchor: pos, head: pos });
		expect(presenceCursor({ anchor: pos })).toBeNull();
		expect(presenceCursor({ anchor: pos, head: { type: 'x', item: null } })).toBeNull();
		expect(presenceCursor('caret')).toBeNull();
	});
});
