/**
 * The asynchronous contract over SQLite: the shared Store cases on a real temporary file
 * (a second instance is a second connection to the same file), and what is SQLite's own:
 * one connection, so the store's calls wait for an open transaction instead of joining it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAsyncStore } from './sqlite-async-store.ts';
import { describeStoreContract } from './store-contract.ts';

let dir: string | undefined;
const file = () => join(dir!, 'tongxin.sqlite');

describeStoreContract('SqliteAsyncStore', {
	async fresh() {
		dir = mkdtempSync(join(tmpdir(), 'tongxin-async-'));
		return SqliteAsyncStore.open(file());
	},
	async another() {
		return SqliteAsyncStore.open(file());
	},
	async cleanup() {
		if (dir) rmSync(dir, { recursive: true, force: true });
		dir = undefined;
	}
});

describe('SqliteAsyncStore on its one connection', () => {
	let store: SqliteAsyncStore;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'tongxin-async-'));
		store = SqliteAsyncStore.open(file());
	});
	afterEach(async () => {
		await store.close();
		rmSync(dir!, { recursive: true, force: true });
	});

	it('writes an append before the call returns, with no await', async () => {
		const pending = store.appendUpdate('grid:g1', 'u', Uint8Array.of(1));
		expect(store.sync.lastSeq('grid:g1')).toBe(1);
		expect(await pending).toBe(1);
	});

	it('holds calls on the store while a transaction is open, so a rollback does not take them with it', async () => {
		let outside: Promise<number> | undefined;
		await expect(
			store.transaction(async (tx) => {
				await tx.appendUpdate('grid:g1', 'u', Uint8Array.of(1));
				outside = store.appendUpdate('grid:g1', 'u', Uint8Array.of(2));
				await new Promise((r) => setTimeout(r, 10));
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect(await outside).toBe(1);
		const log = await store.updatesAfter('grid:g1', 0);
		expect(log.map((u) => [...u.update])).toEqual([[2]]);
	});
});
