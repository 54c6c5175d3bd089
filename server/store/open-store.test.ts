/**
 * Choosing the store from DATABASE_URL: unset means SQLite in DATA_DIR, postgres:// or
 * postgresql:// means PostgreSQL (a real temporary database here), anything else stops the
 * start with a message saying what is expected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreConfigError } from './open-store.ts';
import { createTempDatabase, type TempDatabase } from './pg-test-database.ts';

let dir: string;
let db: TempDatabase | undefined;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-open-'));
});
afterEach(async () => {
	rmSync(dir, { recursive: true, force: true });
	await db?.drop();
	db = undefined;
});

describe('openStore', () => {
	it('opens SQLite in the data directory when DATABASE_URL is unset or empty', async () => {
		for (const DATABASE_URL of [undefined, '', '  ']) {
			const dbFile = join(dir, `${JSON.stringify(DATABASE_URL)}.sqlite`);
			const store = await openStore({ DATABASE_URL, dbFile });
			try {
				expect(store.kind).toBe('sqlite');
				expect(store.isNew).toBe(true);
				expect(await store.appendUpdate('grid:g1', 'u', Uint8Array.of(1))).toBe(1);
			} finally {
				await store.close();
			}
			const reopened = await openStore({ DATABASE_URL, dbFile });
			expect(await reopened.lastSeq('grid:g1')).toBe(1);
			await reopened.close();
		}
	});

	it('opens PostgreSQL for postgres:// and postgresql://, migrated and shared', async () => {
		db = await createTempDatabase();
		const first = await openStore({ DATABASE_URL: db.url, dbFile: join(dir, 'unused.sqlite') });
		const second = await openStore({ DATABASE_URL: db.url.replace(/^postgres(ql)?:/, 'postgresql:'), dbFile: join(dir, 'unused.sqlite'), poolSize: 1 });
		try {
			expect([first.kind, second.kind]).toEqual(['pg', 'pg']);
			expect([first.isNew, second.isNew]).toEqual([true, false]);
			await first.appendUpdate('grid:g1', 'u', Uint8Array.of(1));
			expect(await second.lastSeq('grid:g1')).toBe(1);
		} finally {
			await first.close();
			await second.close();
		}
	});

	it('refuses any other DATABASE_URL with a message naming what it expects, without echoing secrets', async () => {
		const dbFile = join(dir, 'unused.sqlite');
		await expect(openStore({ DATABASE_URL: 'mysql://root:secret@db/tongxin', dbFile })).rejects.toThrow(StoreConfigError);
		await expect(openStore({ DATABASE_URL: 'mysql://root:secret@db/tongxin', dbFile })).rejects.toThrow(
			/postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/\)/
		);
		await expect(openStore({ DATABASE_URL: 'sqlite:///data/x.db', dbFile })).rejects.toThrow(/got sqlite:/);
		const notUrl = openStore({ DATABASE_URL: 'tongxin:secret', dbFile });
		await expect(notUrl).rejects.toThrow(StoreConfigError);
		await expect(openStore({ DATABASE_URL: 'not a url', dbFile })).rejects.toThrow(/DATABASE_URL is not a URL/);
		for (const bad of ['mysql://root:secret@db/tongxin', 'not a url']) {
			const error = await openStore({ DATABASE_URL: bad, dbFile }).catch((e: Error) => e);
			expect(String(error)).not.toContain('secret');
		}
	});
});
