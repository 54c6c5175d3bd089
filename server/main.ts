/**
 * The Tongxin server: one Node 24 process, one port (design.md §1).
 *
 * Start order: configuration → core (store, demo data on a new database, Hocuspocus, services
 * registry: server/core.ts) → SvelteKit handler (imported only now, so its routes find the
 * registry) → HTTP server → listen. SIGTERM/SIGINT stop it gracefully: no new connections, sockets closed, snapshots
 * written, database closed, exit 0.
 */
import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startCore } from './core.ts';
import { printDemoLogins } from './demo/banner.ts';
import { createHttpServer, httpsJudge } from './http-server.ts';
import { startMaintenance } from './maintenance.ts';
import { installShutdown } from './shutdown.ts';

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
	const { store, collab } = await startCore(config);

	// adapter-node assumes https when it is told neither ORIGIN nor a protocol header; served
	// directly (http on a LAN), tell it the socket's real protocol through our own header.
	const protocolHeader = config.ORIGIN || process.env.PROTOCOL_HEADER ? undefined : 'x-tongxin-protocol';
	if (protocolHeader) process.env.PROTOCOL_HEADER = protocolHeader;
	const handler = await loadHandler();
	const isHttps = httpsJudge({ origin: config.ORIGIN, protocolHeader: process.env.PROTOCOL_HEADER });
	const http = createHttpServer({ handler, hocuspocus: collab.hocuspocus, maxPayload: config.MAX_MESSAGE_BYTES, protocolHeader, isHttps, admitFrame: (socket, frame) => collab.presence.admitFrame(socket, frame) });
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
	if (config.DEMO && (await store.userByUsername('demo-admin'))) printDemoLogins(config.HOST, port);
}

main().catch((error: unknown) => {
	console.error('Tongxin failed to start:', error);
	process.exit(1);
});
