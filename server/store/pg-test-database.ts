/**
 * A throwaway PostgreSQL database for tests and benches: CREATE DATABASE tongxin_test_<random>
 * through the admin connection (`DATABASE_URL`, else the local server as user postgres), and
 * DROP it after, even with connections still open.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
	name: string;
	url: string;
	drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

export async function createTempDatabase(prefix = 'tongxin_test'): Promise<TempDatabase> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`;
	await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)))
	};
}
