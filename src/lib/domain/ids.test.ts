import { describe, expect, it } from 'vitest';
import { idTime, newId } from './ids.ts';
import { isValidId } from './doc-names.ts';

describe('ids', () => {
	it('are 26 Crockford base32 characters and valid in document names', () => {
		const id = newId();
		expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
		expect(isValidId(id)).toBe(true);
	});

	it('carry their creation time', () => {
		const t = Date.parse('2026-11-23T08:00:00.123Z');
		expect(idTime(newId(t))).toBe(t);
		expect(idTime(newId(0))).toBe(0);
	});

	it('sort in creation order across milliseconds, as strings', () => {
		const start = Date.parse('2026-01-01T00:00:00Z');
		const ids = Array.from({ length: 1000 }, (_, i) => newId(start + i * 37));
		const shuffled = [...ids].sort(() => Math.random() - 0.5);
		expect(shuffled.sort()).toEqual(ids);
	});

	it('do not collide over 100,000 made in the same millisecond', () => {
		const now = Date.now();
		const ids = new Set<string>();
		for (let i = 0; i < 100_000; i++) ids.add(newId(now));
		expect(ids.size).toBe(100_000);
	});
});
