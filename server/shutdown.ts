/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting, close every socket, write snapshots of
 * the loaded documents, close the database, exit 0. Every accepted update is already in the
 * log (PersistenceExtension); the snapshots only make the next load shorter.
 */
import type { AsyncStore } from '../src/lib/server/async-store.ts';
import type { Collab } from './collab/hocuspocus.ts';
import type { HttpServer } from './http-server.ts';
import { log } from './log.ts';

const GRACE_MS = 3_000;

export function installShutdown({ http, collab, store }: { http: HttpServer; collab: Collab; store: AsyncStore }): void {
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log('info', 'server.stopping', { signal });
		const force = setTimeout(() => {
			log('warn', 'server.forcedExit', { afterMs: GRACE_MS });
			finish();
		}, GRACE_MS);
		force.unref();
		const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
		http.server.closeIdleConnections();
		collab.hocuspocus.closeConnections();
		http.closeSockets();
		await collab.persistence.flushAll().catch(() => undefined);
		await closed;
		clearTimeout(force);
		await finish();
	};
	let finishing: Promise<void> | null = null;
	const finish = () => (finishing ??= close());
	const close = async () => {
		try {
			await collab.persistence.flushAll();
			await store.close();
		} catch (error) {
			log('error', 'server.closeFailed', { error });
		}
		log('info', 'server.stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGINT', () => void stop('SIGINT'));
}
