/**
 * The Tongxin server: one Node 24 process, one port (design.md §1).
 *
 * Start order: configuration → store (and demo data on a new database) → services registry →
 * SvelteKit handler (imported only now, so its routes find the registry) → Hocuspocus →
 * listen. SIGTERM/SIGINT stop it gracefully: no new connections, sockets closed, snapshots
 * written, database closed, exit 0.
 */
import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AccessEvents } from '../src/lib/server/access-events.ts';
import type { DocEditor } from '../src/lib/server/doc-editor.ts';
import { setServices } from '../src/lib/server/services.ts';
import { createDocEditor } from './collab/doc-editor.ts';
import { type Collab, createCollab } from './collab/hocuspocus.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { printDemoLogins } from './demo/banner.ts';
import { seedDemo } from './demo/seed.ts';
import { createHttpServer } from './http-server.ts';
import { log, setLogLevel } from './log.ts';
import { startMaintenance } from './maintenance.ts';
import { installShutdown } from './shutdown.ts';
import { SqliteStore } from './store/sqlite-store.ts';

function readConfig(): Config {
	try {
		return loadConfig();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(e.message);
			process.exit(2);
		}
		throw e;
	}
}

async function loadHandler(): Promise<RequestListener> {
	const file = fileURLToPath(new URL('../build/handler.js', import.meta.url));
	if (!existsSync(file)) {
		console.error(`No app build at ${file}: run \`npx vite build\` (or \`npm start\`, which builds first).`);
		process.exit(1);
	}
	const mod = (await import(file)) as { handler: RequestListener };
	return mod.handler;
}

export async function main(): Promise<void> {
	const config = readConfig();
	setLogLevel(config.LOG_LEVEL);
	if (config.DATABASE_URL) log('warn', 'config.databaseUrlIgnored', { reason: 'the PostgreSQL store is not built yet; using SQLite' });
	if (config.REDIS_URL) log('warn', 'config.redisUrlIgnored', { reason: 'the Redis extension is not wired yet; single instance' });

	const store = new SqliteStore(config.dbFile);
	const seeded = store.isNew && config.DEMO;
	if (seeded) {
		const { households } = await seedDemo(store);
		log('info', 'demo.seeded', { households, db: config.dbFile });
	}
	const events = new AccessEvents();
	// The DocEditor needs Hocuspocus, which is created after the handler is imported.
	let collabRef: Collab | null = null;
	const docs: DocEditor = {
		edit: (name, userId, change) => {
			if (!collabRef) throw new Error('collaboration server not started yet');
			return createDocEditor(collabRef.hocuspocus).edit(name, userId, change);
		}
	};
	setServices({ store, log, events, docs });

	// adapter-node assumes https when it is told neither ORIGIN nor a protocol header; served
	// directly (http on a LAN), tell it the socket's real protocol through our own header.
	const protocolHeader = config.ORIGIN || process.env.PROTOCOL_HEADER ? undefined : 'x-tongxin-protocol';
	if (protocolHeader) process.env.PROTOCOL_HEADER = protocolHeader;
	const handler = await loadHandler();
	const collab = createCollab(store, { snapshotEvery: config.SNAPSHOT_EVERY, events });
	collabRef = collab;
	const http = createHttpServer({ handler, hocuspocus: collab.hocuspocus, maxPayload: config.MAX_MESSAGE_BYTES, protocolHeader });
	installShutdown({ http, collab, store });
	startMaintenance(store);

	await new Promise<void>((resolve, reject) => {
		http.server.once('error', reject);
		http.server.listen(config.PORT, config.HOST, () => resolve());
	});
	const address = http.server.address();
	const port = typeof address === 'object' && address ? address.port : config.PORT;
	const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
	console.log(`Tongxin listening on http://${host}:${port} (WebSocket /collab, data ${config.DATA_DIR})`);
	if (config.HOST === '0.0.0.0' || config.HOST === '::') console.log(`Open http://localhost:${port}`);
	if (config.DEMO && store.userByUsername('demo-admin')) printDemoLogins();
}

main().catch((error: unknown) => {
	console.error('Tongxin failed to start:', error);
	process.exit(1);
});
