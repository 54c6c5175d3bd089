import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { docHistory } from '../../src/lib/server/history.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { HistoryRunner } from './history-runner.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0)) await c();
});

const household = { address: '枫源村1号', head: '王伟', size: 3, phone: '13700000000', tags: [], lng: 120.24, lat: 29.71, colour: 'green' as const };

describe('HistoryRunner', () => {
	it('answers in a worker thread exactly what the replay answers in the request, beside a writing store', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tongxin-history-'));
		const file = join(dir, 'tongxin.sqlite');
		const store = new SqliteStore(file);
		const runner = new HistoryRunner(file);
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => runner.close());
		const doc = new Y.Doc();
		const id = addHousehold(doc, household, 'u-a', undefined, 'h1');
		store.appendUpdate('grid:g1', 'u-a', Y.encodeStateAsUpdate(doc));
		doc.on('update', (u: Uint8Array) => store.appendUpdate('grid:g1', 'u-b', u));
		for (let i = 0; i < 12; i++) updateHousehold(doc, id, { size: i + 10 });

		for (const page of [{}, { before: 6 }, { householdId: 'h1' }]) {
			expect(await runner.run('grid:g1', 5, page)).toEqual(docHistory(store, 'grid:g1', 5, page));
		}
		// the store keeps writing; the worker reads the new rows
		updateHousehold(doc, id, { size: 99 });
		expect((await runner.run('grid:g1', 5, {})).changes.at(-1)).toMatchObject({ field: 'size', to: 99 });
	});

	it('refuses at once past its queue', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tongxin-history-'));
		const file = join(dir, 'tongxin.sqlite');
		const store = new SqliteStore(file);
		const runner = new HistoryRunner(file, 2);
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => runner.close());
		const runs = [runner.run('grid:g1', 5, {}), runner.run('grid:g1', 5, {}), runner.run('grid:g1', 5, {})];
		const settled = await Promise.allSettled(runs);
		expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
		expect((settled[2] as PromiseRejectedResult).reason.name).toBe('HistoryBusy');
	});
});
