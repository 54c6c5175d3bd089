/**
 * The server's core, shared by the production entry (server/main.ts) and Vite's dev server
 * (server/dev/vite-plugin.ts): the store (with demo data on a new database), Hocuspocus with
 * its extensions, and the services registry that SvelteKit routes read. It is registered here,
 * before any route module is loaded, so routes always find it.
 */
import { AccessEvents } from '../src/lib/server/access-events.ts';
import { setServices } from '../src/lib/server/services.ts';
import type { AsyncStore } from '../src/lib/server/async-store.ts';
import { createDocEditor } from './collab/doc-editor.ts';
import { type Collab, createCollab } from './collab/hocuspocus.ts';
import { type Config, writeRates } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { HistoryRunner } from './history/history-runner.ts';
import { log, setLogLevel } from './log.ts';
import { openStore } from './store/open-store.ts';

export interface Core {
	config: Config;
	store: AsyncStore;
	collab: Collab;
	events: AccessEvents;
}

export async function startCore(config: Config): Promise<Core> {
	setLogLevel(config.LOG_LEVEL);
	if (config.REDIS_URL) log('warn', 'config.redisUrlIgnored', { reason: 'the Redis extension is not wired yet; single instance' });

	const store = await openStore({ DATABASE_URL: config.DATABASE_URL, dbFile: config.dbFile, sqlite: { synchronous: config.SQLITE_SYNCHRONOUS } });
	log('info', 'store.opened', { kind: store.kind, isNew: store.isNew, ...(store.kind === 'sqlite' ? { db: config.dbFile } : {}) });
	if (store.isNew && config.DEMO) {
		const { households } = await seedDemo(store);
		log('info', 'demo.seeded', { households, store: store.kind });
	}
	const events = new AccessEvents();
	const collab = createCollab(store, {
		snapshotEvery: config.SNAPSHOT_EVERY,
		events,
		revocationSweepMs: config.REVOCATION_SWEEP_MS,
		publicOrigin: config.ORIGIN,
		writeRates: writeRates(config)
	});
	// the worker reads the SQLite file itself; on PostgreSQL a page is read and replayed in the request
	const history = store.kind === 'sqlite' ? new HistoryRunner(config.dbFile) : null;
	setServices({
		store,
		log,
		events,
		docs: createDocEditor(collab.hocuspocus, collab.persistence),
		settings: { offlineGraceDays: config.OFFLINE_GRACE_DAYS },
		history: history ? (doc, limit, page) => history.run(doc, limit, page) : undefined
	});
	return { config, store, collab, events };
}
