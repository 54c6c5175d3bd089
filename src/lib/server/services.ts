/**
 * The server's objects, as SvelteKit routes reach them.
 *
 * server/main.ts builds the Store (and friends) and registers them here before it imports the
 * SvelteKit handler. The registry lives on `globalThis` under a registered Symbol because the
 * handler's bundle carries its own copy of this module: a module-level variable would not be
 * shared between server/main.ts and the built routes, a global Symbol is.
 */
import type { AccessEvents } from './access-events.ts';
import type { DocEditor } from './doc-editor.ts';
import type { DocHistory, HistoryPage } from './history.ts';
import type { AsyncStore } from './async-store.ts';

export interface Services {
	store: AsyncStore;
	/** Notices that a user's access may have shrunk (open connections are judged again). */
	events: AccessEvents;
	/** Edits of live documents by the server, attributed to a user. */
	docs: DocEditor;
	/** One line of structured log output (see server/log.ts). */
	log: (level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Record<string, unknown>) => void;
	/** Deployment settings clients are told at login (absent: their defaults). */
	settings?: ClientSettings;
	/** Replays a document's history off the main thread (absent: replayed in the request). */
	history?: (doc: string, limit: number, page: HistoryPage) => Promise<DocHistory>;
}

export interface ClientSettings {
	/** Days a device may open its documents with no word from the server (OFFLINE_GRACE_DAYS). */
	offlineGraceDays: number;
}

const KEY = Symbol.for('tongxin.services');

type Registry = { [KEY]?: Services };

export function setServices(services: Services): void {
	(globalThis as Registry)[KEY] = services;
}

export function getServices(): Services {
	const services = (globalThis as Registry)[KEY];
	if (!services) {
		throw new Error('Tongxin services are not registered: start the app with `node server/main.ts` (or `npm start`)');
	}
	return services;
}
