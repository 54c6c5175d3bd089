/**
 * Periodic housekeeping: expired sessions are deleted (validation already refuses them; this
 * keeps the table small). Runs once at start and then hourly, never keeping the process alive.
 */
import type { AsyncStore } from '../src/lib/server/async-store.ts';
import { log } from './log.ts';

const HOUR_MS = 60 * 60 * 1000;

export function startMaintenance(store: AsyncStore): () => void {
	const run = async () => {
		try {
			const removed = await store.deleteExpiredSessions(Date.now());
			if (removed > 0) log('info', 'maintenance.expiredSessionsDeleted', { removed });
		} catch (error) {
			log('error', 'maintenance.failed', { error });
		}
	};
	void run();
	const timer = setInterval(() => void run(), HOUR_MS);
	timer.unref();
	return () => clearInterval(timer);
}
