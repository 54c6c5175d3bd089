/**
 * Periodic housekeeping: expired sessions are deleted (validation already refuses them; this
 * keeps the table small). Runs once at start and then hourly, never keeping the process alive.
 */
import type { Store } from '../src/lib/server/store.ts';
import { log } from './log.ts';

const HOUR_MS = 60 * 60 * 1000;

export function startMaintenance(store: Store): () => void {
	const run = () => {
		try {
			const removed = store.deleteExpiredSessions(Date.now());
			if (removed > 0) log('info', 'maintenance.expiredSessionsDeleted', { removed });
		} catch (error) {
			log('error', 'maintenance.failed', { error });
		}
	};
	run();
	const timer = setInterval(run, HOUR_MS);
	timer.unref();
	return () => clearInterval(timer);
}
