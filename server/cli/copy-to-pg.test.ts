/**
 * The copy command as an operator runs it: a child process with DATA_DIR and DATABASE_URL,
 * on a demo SQLite database and a temporary PostgreSQL database.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import { PgStore } from '../store/pg-store.ts';
import { createTempDatabase, type TempDatabase } from '../store/pg-test-database.ts';
import { SqliteAsyncStore } from '../store/sqlite-async-store.ts';

const CLI = resolve(import.meta.dirname, 'copy-to-pg.ts');
let dir: string;
let db: TempDatabase;

function run(env: Record<string, string>) {
	const { DATABASE_URL: _, DATA_DIR: __, ...rest } = process.env;
	const r = spawnSync(process.execPath, [CLI], { env: { ...rest, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 120_000 });
	return { status: r.status, out: r.stdout, err: r.stderr };
}

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'tongxin-copycli-'));
	const store = SqliteAsyncStore.open(join(dir, 'tongxin.sqlite'));
	await seedDemo(store, { householdsPerGrid: 10, today: new Date('2026-11-23T00:00:00Z') });
	await store.close();
	db = await createTempDatabase();
});
afterEach(async () => {
	await db.drop();
	rmSync(dir, { recursive: true, force: true });
});

describe('copy-to-pg', () => {
	it('copies the SQLite database into PostgreSQL, says they compare equal, and refuses to copy twice', async () => {
		const first = run({ DATA_DIR: dir, DATABASE_URL: db.url });
		expect(first.err).toBe('');
		expect(first.status).toBe(0);
		expect(first.out).toContain('compared: PostgreSQL holds the same as SQLite');
		const pg = await PgStore.open(db.url, { poolSize: 1 });
		try {
			expect((await pg.userByUsername('demo-admin'))?.displayName).toBe('周敏（街道管理员）');
			expect((await pg.listDocs()).map((d) => d.doc)).toContain('grid:g1');
		} finally {
			await pg.close();
		}
		const second = run({ DATA_DIR: dir, DATABASE_URL: db.url });
		expect(second.status).toBe(1);
		expect(second.err).toMatch(/copy failed, nothing written: the target store is not empty/);
	});

	it('says what is missing: DATABASE_URL, or a database in DATA_DIR', () => {
		const noUrl = run({ DATA_DIR: dir });
		expect(noUrl.status).toBe(2);
		expect(noUrl.err).toMatch(/Set DATABASE_URL/);
		const empty = mkdtempSync(join(tmpdir(), 'tongxin-copycli-empty-'));
		try {
			const noFile = run({ DATA_DIR: empty, DATABASE_URL: db.url });
			expect(noFile.status).toBe(2);
			expect(noFile.err).toMatch(/No SQLite database at .*tongxin\.sqlite/);
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
