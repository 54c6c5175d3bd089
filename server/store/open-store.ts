/**
 * Which store this instance uses: PostgreSQL when DATABASE_URL is set (several instances
 * sharing one database), else SQLite in DATA_DIR (one instance, the default).
 */
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { PgStore, type PgStoreOptions } from './pg-store.ts';
import { SqliteAsyncStore } from './sqlite-async-store.ts';
import type { SqliteStoreOptions } from './sqlite-store.ts';

export interface StoreConfig {
	DATABASE_URL?: string;
	/** The SQLite file, used when DATABASE_URL is unset (Config.dbFile). */
	dbFile: string;
	/** Connections per instance when on PostgreSQL. */
	poolSize?: PgStoreOptions['poolSize'];
	/** SQLite's settings (SQLITE_SYNCHRONOUS), when DATABASE_URL is unset. */
	sqlite?: SqliteStoreOptions;
}

export class StoreConfigError extends Error {}

/** The store `config` asks for; PostgreSQL's schema is migrated before this resolves. */
export async function openStore(config: StoreConfig): Promise<AsyncStore> {
	const url = config.DATABASE_URL?.trim();
	if (!url) return SqliteAsyncStore.open(config.dbFile, config.sqlite);
	let protocol: string;
	try {
		protocol = new URL(url).protocol;
	} catch {
		throw new StoreConfigError('DATABASE_URL is not a URL; expected postgres://user@host:5432/database');
	}
	if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
		throw new StoreConfigError(
			`DATABASE_URL must start with postgres:// or postgresql:// (got ${protocol}//); unset it to use SQLite in DATA_DIR`
		);
	}
	return PgStore.open(url, { poolSize: config.poolSize });
}
