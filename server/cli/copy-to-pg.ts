/**
 * Moving a deployment from SQLite to PostgreSQL (issue 10), with the server stopped:
 *
 *   DATABASE_URL=postgres://user@host:5432/tongxin node server/cli/copy-to-pg.ts
 *
 * Copies $DATA_DIR/tongxin.sqlite into the PostgreSQL database (migrated first; it must hold
 * no data yet), all in one transaction, then reads both back and lists any difference. Exit
 * status 0 when the two are the same, 1 when they differ or the copy failed, 2 on bad usage.
 * The SQLite file is only read, and stays as it was.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../config.ts';
import { compareStores, copyStore } from '../store/copy-store.ts';
import { PgStore } from '../store/pg-store.ts';
import { SqliteAsyncStore } from '../store/sqlite-async-store.ts';

async function main(): Promise<number> {
	let config;
	try {
		config = loadConfig();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(e.message);
			return 2;
		}
		throw e;
	}
	if (!config.DATABASE_URL) {
		console.error('Set DATABASE_URL to the PostgreSQL database to copy into (postgres://user@host:5432/database).');
		return 2;
	}
	if (!existsSync(config.dbFile)) {
		console.error(`No SQLite database at ${config.dbFile}; set DATA_DIR to the directory that holds tongxin.sqlite.`);
		return 2;
	}
	const source = SqliteAsyncStore.open(config.dbFile);
	try {
		const target = await PgStore.open(config.DATABASE_URL, { poolSize: 2, applicationName: 'tongxin-copy' });
		try {
			const started = Date.now();
			const report = await copyStore(source, target, (line) => console.log(`copied ${line}`));
			console.log(`copy committed in ${Date.now() - started} ms: ${JSON.stringify(report)}`);
			const differences = await compareStores(source, target);
			if (differences.length) {
				console.error(`the copy differs from ${config.dbFile}:\n  ${differences.join('\n  ')}`);
				return 1;
			}
			console.log('compared: PostgreSQL holds the same as SQLite');
			return 0;
		} finally {
			await target.close();
		}
	} catch (e) {
		console.error(`copy failed, nothing written: ${e instanceof Error ? e.message : String(e)}`);
		return 1;
	} finally {
		await source.close();
	}
}

process.exitCode = await main();
