/**
 * A throwaway PostgreSQL database for tests and benches: CREATE DATABASE tongxin_test_<random>
 * through the admin connection (`DATABASE_URL`, else the local server as user postgres), and
 * DROP it after, even with connections still open. The database sorts text as English does
 * (ICU en-US: 'a1' before 'B1'), as a production database made with a language locale would,
 * so the tests show that the store's own orders are SQLite's bytewise ones regardless.
 */
import { randomBytes } from 'node:crypto';
import pg, { type Client } from 'pg';

export const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
	name: string;
	url: string;
	drop(): Promise<void>;
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
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
	await admin((c) =>
		c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`)
	);
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)))
	};
}
