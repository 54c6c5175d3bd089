/**
 * The Hocuspocus instance with our extensions, in order: admission (who, then whose presence,
 * then how large and how fast, then which updates, then what each update does to a
 * rule-guarded document: RulesExtension) → revocation (who still may) → persistence → what the
 * log holds (answers devices' durable-state questions) → freezing signed-off sessions → logging.
 */
import { Hocuspocus } from '@hocuspocus/server';
import { AccessEvents } from '../../src/lib/server/access-events.ts';
import type { WriteRates } from '../../src/lib/domain/limits.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { AuthExtension } from './AuthExtension.ts';
import { DurableStateExtension } from './DurableStateExtension.ts';
import { FreezeExtension } from './FreezeExtension.ts';
import { LoggingExtension } from './LoggingExtension.ts';
import { PersistenceExtension } from './PersistenceExtension.ts';
import { PresenceExtension } from './PresenceExtension.ts';
import { QuotaExtension } from './QuotaExtension.ts';
import { RevocationExtension } from './RevocationExtension.ts';
import { RulesExtension } from './RulesExtension.ts';
import { UpdateValidationExtension } from './UpdateValidationExtension.ts';

export interface Collab {
	hocuspocus: Hocuspocus;
	auth: AuthExtension;
	validation: UpdateValidationExtension;
	quota: QuotaExtension;
	presence: PresenceExtension;
	rules: RulesExtension;
	revocation: RevocationExtension;
	persistence: PersistenceExtension;
	durableState: DurableStateExtension;
	freeze: FreezeExtension;
	logging: LoggingExtension;
}

export interface CollabOptions {
	snapshotEvery?: number;
	/** Access notices from the routes (src/lib/server/access-events.ts). */
	events?: AccessEvents;
	/** How often every open connection is judged again (ms); 0 turns the sweep off. */
	revocationSweepMs?: number;
	/** ORIGIN when configured (cookie-authenticated connections must come from it). */
	publicOrigin?: string;
	/** Write quotas per user and per document (defaults: src/lib/domain/limits.ts). */
	writeRates?: WriteRates;
}

export function createCollab(store: AsyncStore, options: CollabOptions = {}): Collab {
	const auth = new AuthExtension(store, { publicOrigin: options.publicOrigin });
	const validation = new UpdateValidationExtension();
	const quota = new QuotaExtension(options.writeRates);
	const presence = new PresenceExtension();
	const rules = new RulesExtension(store);
	const freeze = new FreezeExtension(store, { settle: (name, document) => rules.settle(name, document) });
	const revocation = new RevocationExtension(store, options.events ?? new AccessEvents(), {
		sweepMs: options.revocationSweepMs,
		// a frozen session's connections are read-only by design, not by reduced access
		heldReadOnly: (name) => freeze.isFrozen(name)
	});
	const persistence = new PersistenceExtension(store, options);
	const durableState = new DurableStateExtension(persistence);
	const logging = new LoggingExtension();
	const hocuspocus = new Hocuspocus({
		name: 'tongxin',
		quiet: true,
		// onStoreDocument only writes snapshots (every update is logged before its ack),
		// so it can wait: a few seconds after the last change, at most 30 s.
		debounce: 5_000,
		maxDebounce: 30_000,
		unloadImmediately: true,
		// Broadcast each update to the other devices at once, inside the document's 'update'
		// event, instead of collecting a loop turn's updates for a setImmediate: peers see an
		// edit without waiting for that turn's other work, including our log write: the group
		// commit that PersistenceExtension's beforeSync awaits before the sender's ack.
		flushDelay: false,
		// Before login a socket may queue this much (Hocuspocus's default is 5 MB): a provider
		// sends its token, handshake and presence, a few hundred bytes per document.
		maxUnauthenticatedQueueSize: 256 * 1024,
		// Tablets behind one village hotspot share an address; no throttle extension here
		// (sockets before login are capped per address in socket-guard.ts).
		extensions: [auth, presence, quota, validation, rules, revocation, persistence, durableState, freeze, logging]
	});
	revocation.attach(hocuspocus);
	return { hocuspocus, auth, validation, quota, presence, rules, revocation, persistence, durableState, freeze, logging };
}
