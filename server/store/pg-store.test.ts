/**
 * The PostgreSQL Store: the shared Store cases, each on a new temporary database on the local
 * server (DATABASE_URL for another admin connection), a second instance being a second pool;
 * and what is PostgreSQL's own: versioned migrations that run once however many instances
 * start together, and all or nothing.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION, migratePg } from './pg-schema.ts';
import { PgStore } from './pg-store.ts';
import { createTempDatabase, type TempDatabase } from './pg-test-database.ts';
import { describeStoreContract } from './store-contract.ts';

let db: TempDatabase | undefined;

describeStoreContract('PgStore', {
	async fresh() {
		db = await createTempDatabase();
		return PgStore.open(db.url, { poolSize: 4 });
	},
	async another() {
		return PgStore.open(db!.url, { poolSize: 4 });
	},
	async cleanup() {
		await db?.drop();
		db = undefined;
	}
});

describe('PgStore connections', () => {
	afterEach(async () => {
		await db?.drop();
		db = undefined;
	});

	it('keeps serving after the database ends its connections (a restart or failover), losing nothing', async () => {
		db = await createTempDatabase();
		const store = await PgStore.open(db.url, { poolSize: 3 });
		try {
			await Promise.all([1, 2, 3].map((i) => store.appendUpdate('grid:g1', 'u', Uint8Array.of(i))));
			const admin = new pg.Client({ connectionString: db.url });
			await admin.connect();
			try {
				const ended = await admin.query(
					'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'
				);
				expect(ended.rows.length).toBeGreaterThan(0);
			} finally {
				await admin.end();
			}
			// The pool notices its idle connections closing and opens new ones; wait for that
			// rather than for a fixed time.
			let seq = 0;
			for (let attempt = 0; seq === 0 && attempt < 50; attempt++) {
				seq = await store.appendUpdate('grid:g1', 'u', Uint8Array.of(4)).catch(() => 0);
				if (seq === 0) await new Promise((r) => setTimeout(r, 100));
			}
			expect(seq).toBe(4);
			expect((await store.updatesAfter('grid:g1', 0)).map((u) => u.update[0]).sort()).toEqual([1, 2, 3, 4]);
		} finally {
			await store.close();
		}
	});

	it('survives its connection ending inside a transaction: the transaction fails whole, the store goes on', async () => {
		db = await createTempDatabase();
		const store = await PgStore.open(db.url, { poolSize: 2, applicationName: 'tongxin-tx-victim' });
		const admin = new pg.Client({ connectionString: db.url });
		await admin.connect();
		try {
			const backends = () =>
				admin.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'tongxin-tx-victim'").then((r) => r.rows.length);
			await expect(
				store.transaction(async (tx) => {
					await tx.appendUpdate('grid:g1', 'u', Uint8Array.of(1));
					// While the transaction waits on something else (a password hash, say), the
					// database ends its connection: the client reports it between queries.
					await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tongxin-tx-victim'");
					while ((await backends()) > 0) await new Promise((r) => setTimeout(r, 20));
					await new Promise((r) => setTimeout(r, 50));
					await tx.appendUpdate('grid:g1', 'u', Uint8Array.of(2));
				})
			).rejects.toThrow();
			let seq = 0;
			for (let attempt = 0; seq === 0 && attempt < 50; attempt++) {
				seq = await store.appendUpdate('grid:g1', 'u', Uint8Array.of(3)).catch(() => 0);
				if (seq === 0) await new Promise((r) => setTimeout(r, 100));
			}
			expect(seq).toBe(1);
			expect((await store.updatesAfter('grid:g1', 0)).map((u) => u.update[0])).toEqual([3]);
		} finally {
			await admin.end();
			await store.close();
		}
	});
});

describe('PgStore migrations', () => {
	afterEach(async () => {
		await db?.drop();
		db = undefined;
	});

	async function appliedVersions(url: string): Promise<number[]> {
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		try {
			const r = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
			return r.rows.map((row) => row.version);
		} finally {
			await client.end();
		}
	}

	it('migrates once when four instances start at the same time; exactly one finds the database new', async () => {
		db = await createTempDatabase();
		const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(db!.url, { poolSize: 2 })));
		try {
			expect(stores.filter((s) => s.isNew)).toHaveLength(1);
			expect(await appliedVersions(db.url)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
			await stores[0].appendUpdate('grid:g1', 'u', Uint8Array.of(1));
			expect(await stores[3].lastSeq('grid:g1')).toBe(1);
		} finally {
			await Promise.all(stores.map((s) => s.close()));
		}
		const again = await PgStore.open(db.url);
		expect(again.isNew).toBe(false);
		await again.close();
	});

	it('applies a new step on the next start, and a failing step leaves the database as it was', async () => {
		db = await createTempDatabase();
		await (await PgStore.open(db.url)).close();
		const pool = new pg.Pool({ connectionString: db.url, max: 1 });
		const client = await pool.connect();
		try {
			const broken = [...PG_MIGRATIONS, 'CREATE TABLE added (x INTEGER)', 'CREATE TABLE half (x INTEGER); SELECT no_such_function()'];
			await expect(migratePg(client, broken)).rejects.toThrow(/no_such_function/);
			expect(await appliedVersions(db.url)).toEqual([1]);
			const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name IN ('added', 'half')");
			expect(tables.rows).toEqual([]);

			expect(await migratePg(client, [...PG_MIGRATIONS, 'CREATE TABLE added (x INTEGER)'])).toBe(1);
			expect(await appliedVersions(db.url)).toEqual([1, 2]);
			// This server's steps are now behind the database's: it refuses to start rather than guess.
			await expect(migratePg(client, PG_MIGRATIONS)).rejects.toThrow(/schema version 2 is newer than this server's \(1\)/);
		} finally {
			client.release();
			await pool.end();
		}
	});
});
