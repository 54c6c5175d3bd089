/**
 * The Hocuspocus instance with our extensions, in order: admission (who, then which updates)
 * → persistence → logging.
 */
import { Hocuspocus } from '@hocuspocus/server';
import type { Store } from '../../src/lib/server/store.ts';
import { AuthExtension } from './AuthExtension.ts';
import { LoggingExtension } from './LoggingExtension.ts';
import { PersistenceExtension } from './PersistenceExtension.ts';
import { UpdateValidationExtension } from './UpdateValidationExtension.ts';

export interface Collab {
	hocuspocus: Hocuspocus;
	auth: AuthExtension;
	validation: UpdateValidationExtension;
	persistence: PersistenceExtension;
	logging: LoggingExtension;
}

export function createCollab(store: Store, options: { snapshotEvery?: number } = {}): Collab {
	const auth = new AuthExtension(store);
	const validation = new UpdateValidationExtension();
	const persistence = new PersistenceExtension(store, options);
	const logging = new LoggingExtension();
	const hocuspocus = new Hocuspocus({
		name: 'tongxin',
		quiet: true,
		// onStoreDocument only writes snapshots (the log is written synchronously per update),
		// so it can wait: a few seconds after the last change, at most 30 s.
		debounce: 5_000,
		maxDebounce: 30_000,
		unloadImmediately: true,
		// Tablets behind one village hotspot share an address; no throttle extension here.
		extensions: [auth, validation, persistence, logging]
	});
	return { hocuspocus, auth, validation, persistence, logging };
}
