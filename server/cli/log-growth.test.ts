import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite-store.ts';
import { formatLogGrowth, logGrowth } from './log-growth.ts';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('logGrowth', () => {
	it('reports each document\'s log and its recent growth, largest first, with place and writer names', () => {
		const dir = mkdtempSync(join(tmpdir(), 'tongxin-growth-'));
		dirs.push(dir);
		const file = join(dir, 'tongxin.sqlite');
		const store = new SqliteStore(file);
		store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '枫桥街道' });
		store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '枫源村' });
		store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '一组' });
		store.createUser({ id: 'u1', username: 'wang', displayName: '王伟', passwordHash: 'x' });
		const day = 24 * 3600 * 1000;
		const now = 10 * day;
		store.appendUpdate('grid:g1', 'u1', new Uint8Array(1000), now - 2 * day); // old
		store.appendUpdate('grid:g1', 'u1', new Uint8Array(300), now - 1000);
		store.appendUpdate('session:s1', 'u1', new Uint8Array(5000), now - 500);
		store.close();

		const g = logGrowth(file, now - day);
		expect(g.docs.map((d) => [d.doc, d.place, d.rows, d.bytes, d.recentRows, d.recentBytes])).toEqual([
			['session:s1', null, 1, 5000, 1, 5000],
			['grid:g1', '一组', 2, 1300, 1, 300]
		]);
		expect(g.writers).toEqual([{ userId: 'u1', name: '王伟', recentRows: 2, recentBytes: 5300 }]);
		const text = formatLogGrowth(g, 24);
		expect(text).toMatch(/grid:g1 .* 一组/);
		expect(text).toContain('王伟');
		expect(text).toContain('4.9 KB');
	});
});
