/**
 * Persistence: the append-only update log and its snapshots (design.md §1 and §5).
 *
 * Group commit (the usual path for devices' updates): with synchronous=FULL every commit
 * costs an fsync, which would block the event loop once per update. So `beforeSync`, which
 * Hocuspocus awaits before it applies a client's update and acknowledges it, applies the
 * update itself (Hocuspocus's own apply afterwards changes nothing), collects what it changed
 * from the 'update' event instead of writing it there, and waits for the batch: all updates
 * collected in one turn of the event loop are appended in one transaction, fsynced off the
 * event loop (Store.appendUpdatesDurably), and only then do their messages go on to be
 * acknowledged. Peers still get each update at once (the
 * broadcast runs in the same 'update' event); until its batch commits the update counts as not
 * yet logged (`inFlight`: no snapshot, no durable-state answer), and if the batch fails it
 * joins `unlogged` below while its message waits for the log to take it.
 *
 * Where the write happens otherwise, and why there: Hocuspocus 4 applies an incoming update
 * synchronously (y-protocols `readUpdate` inside MessageReceiver) and sends the sync ack right
 * after it returns. Yjs emits the document's 'update' event synchronously inside that call, so
 * the listener registered in `onLoadDocument` appends the update to the store before the ack
 * is sent. An acknowledged edit is therefore always in the log. Hocuspocus's own listener,
 * registered when the document was created, runs first and broadcasts the update to the other
 * devices (flushDelay: false, hocuspocus.ts), so peers never wait for the log write; a peer
 * holding an update the log has not got yet loses nothing, because its sender has no ack
 * until the write succeeded and sends it again otherwise. If the write throws, throwing would not
 * help (y-protocols swallows exceptions from `applyUpdate` and the ack would still go out), so
 * the sender's socket is closed at once: its readyState is then CLOSING and Hocuspocus's ack
 * is not sent. The device keeps the edit.
 *
 * The in-memory document now holds an update the log does not. That alone would break the
 * rule: when the device reconnects, the handshake finds nothing missing (the server's state
 * vector already includes the edit), acknowledges it, and a crash before the next snapshot
 * loses it. So the update is kept as `unlogged` and written before anything else: before the
 * next append, on a timer (after 100 ms, doubling up to 5 s), before a snapshot, and in
 * `beforeSync`, which runs before any client update or handshake reply is applied and
 * acknowledged. There the message waits (asynchronously: Hocuspocus awaits `beforeSync` and
 * handles each connection's messages in order) while the log is retried, up to
 * `WAIT_FOR_LOG_MS`; if the log still refuses, the message is refused (socket closed, no ack)
 * and the device retries with its edits. The store's busy timeout is short (sqlite-store.ts), so
 * a lock held by another process (a backup, the admin CLI) costs each attempt a few ms of the
 * event loop, not seconds: sockets and HTTP requests go on meanwhile, and the waiting edits
 * are acknowledged as soon as the lock is gone.
 *
 * Server-side edits (doc-editor.ts) are logged before they are applied (`logServerEdit`): a
 * route must answer an error, not 200, when its edit could not be logged, and an edit applied
 * first would already be on every device.
 *
 * Loading is the latest snapshot plus the updates after its sequence. A snapshot (the merged
 * state up to a sequence) is written after `snapshotEvery` updates, when the last connection
 * leaves (onStoreDocument) and at shutdown (`flushAll`). The log itself is never trimmed:
 * it is the record of who changed what.
 */
import type {
	afterUnloadDocumentPayload,
	beforeSyncPayload,
	Document,
	Extension,
	onLoadDocumentPayload,
	onStoreDocumentPayload
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { isStorageBusy } from '../../src/lib/server/store.ts';
import { log } from '../log.ts';
import { type DirectContext, userIdOf } from './context.ts';
import { decodeUpdateOnce, type DecodedUpdate } from './decoded-update.ts';

/** Origin of updates applied while loading from the store: not written back, not stored again. */
export const LOAD_ORIGIN = { source: 'local', skipStoreHooks: true, context: { loader: 'persistence' } } as const;

interface DocState {
	document: Document;
	/** Highest sequence whose update is in the in-memory document. */
	seq: number;
	/** Updates appended since the last snapshot. */
	sinceSnapshot: number;
	compactionScheduled: boolean;
	/** Updates applied in memory whose append failed, oldest first: written before anything else. */
	unlogged: { userId: string; update: Uint8Array }[];
	retryTimer: ReturnType<typeof setTimeout> | null;
	/** No new write attempt before this time (ms): a locked database blocks each attempt for its busy timeout. */
	retryAt: number;
	backoffMs: number;
	/** Messages waiting in `beforeSync` share one wait for the log. */
	waitingForLog: Promise<boolean> | null;
	/** While `beforeSync` applies a client's update: what it changed, logged by the group commit. */
	collecting: Uint8Array[] | null;
	/** Updates applied in memory whose batch (or append) has not committed yet. */
	inFlight: number;
	/** The write of `unlogged` under way, if any (one at a time, in order). */
	writing: Promise<boolean> | null;
	/** A snapshot is being written. */
	compacting: boolean;
	/** Sends an update to the document's connections (Hocuspocus's own broadcast). */
	send: (update: Uint8Array) => void;
	/** The origin of the transaction whose update is being broadcast (read in 'afterTransaction'). */
	origin: unknown;
	/** While `beforeSync` applies a client's update: its broadcasts, sent once it is logged. */
	holding: Uint8Array[] | null;
	/** The broadcast of the update the 'update' listener is about to log (any other origin). */
	heldOne: Uint8Array | null;
	/** Broadcasts of updates in `unlogged`: sent once those are written. */
	heldUnlogged: Uint8Array[];
}

interface BatchEntry {
	doc: string;
	state: DocState;
	userId: string;
	update: Uint8Array;
}

const SYNC_STEP_2 = 1;
const UPDATE = 2;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
/** How long a client message waits in `beforeSync` for the log before it is refused (socket closed). */
export const WAIT_FOR_LOG_MS = 5_000;
/** How long a server-side edit retries a busy log before its route answers an error. */
const SERVER_EDIT_WAIT_MS = 3_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PersistenceExtension implements Extension {
	extensionName = 'PersistenceExtension';
	loadFailures = 0;
	appendFailures = 0;
	private readonly store: AsyncStore;
	private readonly snapshotEvery: number;
	private readonly docs = new Map<string, DocState>();
	/** Updates waiting for the next group commit, with the messages that wait for it. */
	private batch: { entries: BatchEntry[]; resolve: (committed: boolean) => void }[] = [];

	constructor(store: AsyncStore, options: { snapshotEvery?: number } = {}) {
		this.store = store;
		this.snapshotEvery = options.snapshotEvery ?? 200;
	}

	async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
		let state: DocState;
		try {
			const snapshot = await this.store.latestSnapshot(documentName);
			const tail = await this.store.updatesAfter(documentName, snapshot?.seq ?? 0);
			const parts = [...(snapshot ? [snapshot.state] : []), ...tail.map((u) => u.update)];
			if (parts.length > 0) Y.applyUpdate(document, parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), LOAD_ORIGIN);
			const seq = tail.length > 0 ? tail[tail.length - 1].seq : (snapshot?.seq ?? 0);
			state = {
				document,
				seq,
				sinceSnapshot: tail.length,
				compactionScheduled: false,
				unlogged: [],
				retryTimer: null,
				retryAt: 0,
				backoffMs: 0,
				waitingForLog: null,
				collecting: null,
				inFlight: 0,
				writing: null,
				compacting: false,
				send: () => {},
				origin: null,
				holding: null,
				heldOne: null,
				heldUnlogged: []
			};
			holdBroadcastsUntilLogged(document, state);
		} catch (error) {
			this.loadFailures++;
			log('error', 'collab.loadFailed', { doc: documentName, error, loadFailures: this.loadFailures });
			throw error;
		}
		this.docs.set(documentName, state);
		// A long tail (after a crash, or many edits since the last snapshot) is compacted at once,
		// so the next load is short even if nobody edits this document now.
		if (state.sinceSnapshot >= this.snapshotEvery) {
			state.compactionScheduled = true;
			setImmediate(() => void this.compact(documentName));
		}
		document.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === LOAD_ORIGIN) return;
			// A server-side edit logged before it was applied (logServerEdit).
			if ((origin as { context?: Partial<DirectContext> } | null)?.context?.loggedBeforeApply) return;
			state.sinceSnapshot++;
			if (state.collecting) {
				state.collecting.push(update);
				return;
			}
			const userId = userIdOf(origin);
			const held = state.heldOne;
			state.heldOne = null;
			// Behind updates the log refused: they go first, this one with them.
			if (state.unlogged.length > 0) {
				state.unlogged.push({ userId, update });
				if (held) state.heldUnlogged.push(held);
				void this.writeUnlogged(documentName, state);
				return;
			}
			// Not a device's message waiting for its ack (those are collected in beforeSync): a
			// server-side change (rules, freezing). SQLite writes it within this call; until the
			// append resolves it counts as in flight (no snapshot, no durable-state answer).
			state.inFlight++;
			this.store.appendUpdate(documentName, userId, update).then(
				(seq) => {
					state.inFlight--;
					state.seq = Math.max(state.seq, seq);
					if (held) state.send(held);
					if (state.sinceSnapshot >= this.snapshotEvery && !state.compactionScheduled) {
						state.compactionScheduled = true;
						setImmediate(() => void this.compact(documentName));
					}
				},
				(error: unknown) => {
					state.inFlight--;
					this.appendFailures++;
					log('error', 'collab.appendFailed', { doc: documentName, error, appendFailures: this.appendFailures });
					state.unlogged.push({ userId, update });
					if (held) state.heldUnlogged.push(held);
					this.backOff(documentName, state);
					refuseAck(origin);
				}
			);
		});
	}

	/**
	 * Before a client update or handshake reply is applied (and then acknowledged): if the
	 * document holds updates the log refused, write them first; if that still fails, refuse the
	 * message (no ack) and close the socket so that the device retries later.
	 *
	 * An update that depends on changes this server does not have yet (a tablet's queued
	 * offline edits arriving before its handshake reply, after the server lost an earlier edit
	 * in a crash) is kept aside by Yjs as pending: no 'update' event, nothing logged, yet
	 * Hocuspocus acknowledges it. Such an update is logged here as received, before it is
	 * applied; once its dependency arrives, the integrated update is logged again (applying an
	 * update twice changes nothing).
	 */
	async beforeSync({ type, payload, document, documentName, connection }: beforeSyncPayload): Promise<void> {
		if ((type !== UPDATE && type !== SYNC_STEP_2) || connection.readOnly) return;
		const state = this.docs.get(documentName);
		if (!state) return;
		if (state.unlogged.length > 0 && !(await this.writeUnlogged(documentName, state)) && !(await this.waitForLog(documentName, state))) {
			refuseAck({ connection });
			throw { code: 1011, reason: 'storage-failure' };
		}
		const userId = userIdOf({ source: 'connection', connection });
		if (wouldPend(document, payload)) {
			if (!(await this.groupCommit([{ doc: documentName, state, userId, update: payload }]))) {
				refuseAck({ connection });
				throw { code: 1011, reason: 'storage-failure' };
			}
			state.sinceSnapshot++;
			log('info', 'collab.pendingUpdateLogged', { doc: documentName, bytes: payload.length, seq: state.seq });
			return;
		}
		// Apply it now (same origin as Hocuspocus's apply, which then finds nothing new), collect
		// what it changed, and hold the message (its ack) until that is committed.
		const changed: Uint8Array[] = [];
		const held: Uint8Array[] = [];
		state.collecting = changed;
		state.holding = held;
		try {
			Y.applyUpdate(document, payload, { source: 'connection', connection });
		} catch {
			// UpdateValidationExtension refused corrupt updates before; Hocuspocus's apply swallows the rest too
		} finally {
			state.collecting = null;
			state.holding = null;
		}
		if (changed.length === 0) return;
		state.inFlight++;
		let committed: boolean;
		try {
			committed = await this.groupCommit(changed.map((update) => ({ doc: documentName, state, userId, update })));
		} finally {
			state.inFlight--;
		}
		if (committed) for (const update of held) state.send(update);
		else {
			// Kept aside and retried while the message waits (a short lock costs a delay, not a
			// socket); refused without an ack only if the log still fails after WAIT_FOR_LOG_MS.
			state.unlogged.push(...changed.map((update) => ({ userId, update })));
			state.heldUnlogged.push(...held);
			this.backOff(documentName, state);
			if (!(await this.waitForLog(documentName, state))) {
				refuseAck({ connection });
				throw { code: 1011, reason: 'storage-failure' };
			}
		}
		if (state.sinceSnapshot >= this.snapshotEvery && !state.compactionScheduled) {
			state.compactionScheduled = true;
			setImmediate(() => void this.compact(documentName));
		}
	}

	/**
	 * Appends `entries` with everything else queued in this turn of the event loop, in one
	 * transaction (one fsync); true once committed, false if the store refused the batch.
	 */
	private groupCommit(entries: BatchEntry[]): Promise<boolean> {
		return new Promise((resolve) => {
			this.batch.push({ entries, resolve });
			if (this.batch.length === 1) setImmediate(() => void this.flushBatch());
		});
	}

	private async flushBatch(): Promise<void> {
		const waiting = this.batch.splice(0);
		const entries = waiting.flatMap((w) => w.entries);
		let seqs: number[];
		try {
			seqs = await this.store.appendUpdatesDurably(entries);
		} catch (error) {
			this.appendFailures++;
			log('error', 'collab.appendFailed', { docs: [...new Set(entries.map((e) => e.doc))], updates: entries.length, error, appendFailures: this.appendFailures });
			for (const w of waiting) w.resolve(false);
			return;
		}
		entries.forEach((e, i) => (e.state.seq = Math.max(e.state.seq, seqs[i])));
		for (const w of waiting) w.resolve(true);
	}

	/**
	 * Logs a server-side edit's update before it is applied to the loaded document, retrying a
	 * busy log for a few seconds without blocking; throws if it still cannot be logged, and
	 * then nothing was applied. The caller applies it with `loggedBeforeApply` in its
	 * transaction origin's context, so the update listener does not log it twice.
	 */
	async logServerEdit(documentName: string, userId: string, update: Uint8Array): Promise<void> {
		const state = this.docs.get(documentName);
		if (!state) throw new Error(`${documentName} is not loaded`);
		const until = Date.now() + SERVER_EDIT_WAIT_MS;
		for (let wait = RETRY_FIRST_MS; ; wait = Math.min(wait * 2, 1_000)) {
			try {
				state.seq = Math.max(state.seq, await this.store.appendUpdate(documentName, userId, update));
				state.sinceSnapshot++;
				return;
			} catch (error) {
				this.appendFailures++;
				log('error', 'collab.appendFailed', { doc: documentName, error, serverEdit: true, appendFailures: this.appendFailures });
				if (!isStorageBusy(error) || Date.now() + wait > until) throw error;
			}
			await sleep(wait);
		}
	}

	/** When the last connection leaves (and on Hocuspocus's debounced store), snapshot the doc. */
	async onStoreDocument({ documentName, document }: onStoreDocumentPayload): Promise<void> {
		if (document.getConnectionsCount() === 0) await this.compact(documentName);
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		const state = this.docs.get(documentName);
		if (state?.retryTimer) clearTimeout(state.retryTimer);
		// Never acknowledged, so the devices that sent them still hold them and will send them again.
		if (state && state.unlogged.length > 0) log('error', 'collab.unloadedUnlogged', { doc: documentName, updates: state.unlogged.length });
		this.docs.delete(documentName);
	}

	/**
	 * The state vector of what the log holds of a loaded document, or null while that is not
	 * known exactly: updates applied in memory but not yet logged (the in-memory state vector
	 * would claim them), or a document this extension did not load. Otherwise every update in
	 * the in-memory document has been appended (the 'update' listener runs before anything
	 * else sees it), so its state vector claims nothing the log lacks. Updates Yjs keeps
	 * pending are logged but not in the state vector: the answer can only fall short.
	 */
	durableStateVector(documentName: string): Uint8Array | null {
		const state = this.docs.get(documentName);
		if (!state || state.unlogged.length > 0 || state.inFlight > 0 || state.document.isDestroyed) return null;
		return Y.encodeStateVector(state.document);
	}

	/**
	 * Writes a snapshot of every loaded document with updates since its last one (shutdown),
	 * after the group commit and the appends under way.
	 */
	async flushAll(): Promise<void> {
		if (this.batch.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
		for (let i = 0; i < 50 && [...this.docs.values()].some((s) => s.inFlight > 0); i++) await new Promise((r) => setTimeout(r, 20));
		await Promise.all([...this.docs.keys()].map((name) => this.compact(name)));
	}

	get loadedCount(): number {
		return this.docs.size;
	}

	/**
	 * Appends the updates the log refused earlier, in order, in one group commit; false if the
	 * store still fails or the last failure is too recent to try again (`force` tries anyway).
	 * One write at a time: a second caller shares the one under way.
	 */
	private writeUnlogged(documentName: string, state: DocState, force = false): Promise<boolean> {
		if (state.writing) return state.writing;
		if (state.unlogged.length === 0) return Promise.resolve(true);
		if (!force && Date.now() < state.retryAt) return Promise.resolve(false);
		state.writing = (async () => {
			try {
				while (state.unlogged.length > 0) {
					const items = state.unlogged.slice();
					const seqs = await this.store.appendUpdatesDurably(items.map((u) => ({ doc: documentName, ...u })));
					state.unlogged.splice(0, items.length);
					state.seq = Math.max(state.seq, ...seqs);
				}
			} catch (error) {
				this.appendFailures++;
				log('error', 'collab.appendFailed', { doc: documentName, error, unlogged: state.unlogged.length, appendFailures: this.appendFailures });
				this.backOff(documentName, state);
				return false;
			} finally {
				state.writing = null;
			}
			state.backoffMs = 0;
			state.retryAt = 0;
			for (const update of state.heldUnlogged.splice(0)) state.send(update);
			log('info', 'collab.unloggedWritten', { doc: documentName, seq: state.seq });
			return true;
		})();
		return state.writing;
	}

	/**
	 * Waits (without blocking the event loop) until the document's unlogged updates are in the
	 * log, trying again and again, at most `WAIT_FOR_LOG_MS`; false if they are still not.
	 */
	private waitForLog(documentName: string, state: DocState): Promise<boolean> {
		state.waitingForLog ??= (async () => {
			const until = Date.now() + WAIT_FOR_LOG_MS;
			try {
				for (let wait = RETRY_FIRST_MS; ; wait = Math.min(wait * 2, 1_000)) {
					if (Date.now() + wait > until) return false;
					await sleep(wait);
					if (this.docs.get(documentName) !== state) return false;
					if (state.unlogged.length === 0 || (await this.writeUnlogged(documentName, state, true))) return true;
				}
			} finally {
				state.waitingForLog = null;
			}
		})();
		return state.waitingForLog;
	}

	/** After a failed append: the next attempt waits 100 ms, then twice as long each time, at most 5 s. */
	private backOff(documentName: string, state: DocState): void {
		state.backoffMs = Math.min(RETRY_MAX_MS, state.backoffMs === 0 ? RETRY_FIRST_MS : state.backoffMs * 2);
		state.retryAt = Date.now() + state.backoffMs;
		if (state.retryTimer) clearTimeout(state.retryTimer);
		state.retryTimer = setTimeout(() => {
			state.retryTimer = null;
			if (this.docs.get(documentName) === state && state.unlogged.length > 0) void this.writeUnlogged(documentName, state, true);
		}, state.backoffMs);
		state.retryTimer.unref();
	}

	/** Writes the document's merged state up to its current sequence, in one transaction. */
	private async compact(documentName: string): Promise<void> {
		const state = this.docs.get(documentName);
		if (!state || state.compacting) return;
		state.compactionScheduled = false;
		// A snapshot at `seq` must not hold updates the log lacks: write them first.
		if (state.unlogged.length > 0 && !(await this.writeUnlogged(documentName, state))) return;
		// Nor updates still waiting for their group commit: the next append schedules it again.
		if (state.inFlight > 0 || state.unlogged.length > 0 || state.sinceSnapshot === 0 || state.document.isDestroyed) return;
		// What the snapshot covers is taken now, in one go: updates arriving while it is written count towards the next.
		const seq = state.seq;
		const covered = state.sinceSnapshot;
		const snapshot = Y.encodeStateAsUpdate(state.document);
		state.compacting = true;
		try {
			await this.store.writeSnapshot(documentName, seq, snapshot);
			state.sinceSnapshot = Math.max(0, state.sinceSnapshot - covered);
		} catch (error) {
			// The log still holds every update: a failed snapshot only makes the next load longer.
			log('error', 'collab.snapshotFailed', { doc: documentName, seq, error });
		} finally {
			state.compacting = false;
		}
	}
}

/**
 * Whether applying `update` to `doc` would leave part of it pending: structs that start after
 * what the document holds of their client (or skip over a gap), or deletions of items it does
 * not hold yet.
 */
function wouldPend(doc: Y.Doc, update: Uint8Array): boolean {
	let decoded: DecodedUpdate;
	try {
		decoded = decodeUpdateOnce(update);
	} catch {
		return false; // UpdateValidationExtension refuses corrupt updates
	}
	// How far each client's changes reach once this update is applied: what the document holds,
	// extended by the update's own structs as long as they follow on without a gap.
	const reach = new Map<number, number>();
	const reachOf = (client: number) => reach.get(client) ?? Y.getState(doc.store, client);
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) return true;
		const { client, clock } = struct.id;
		const held = reachOf(client);
		if (clock > held) return true;
		reach.set(client, Math.max(held, clock + struct.length));
	}
	for (const [client, deletions] of decoded.ds.clients) {
		const held = reachOf(client);
		for (const d of deletions) if (d.clock + d.len > held) return true;
	}
	return false;
}

/** Closes the socket of the connection behind `origin` so that the pending ack is never sent. */
function refuseAck(origin: unknown): void {
	const ws = (origin as { connection?: { webSocket?: { close(code?: number, reason?: string): void } } } | null)?.connection
		?.webSocket;
	try {
		ws?.close(1011, 'storage-failure');
	} catch {
		// already closing
	}
}

/**
 * Peers get only what the log holds. Hocuspocus broadcasts each update inside the document's
 * 'update' event (flushDelay: false), before our listener or group commit has logged it. Were
 * the server to crash in between, the peers would hold an edit the log lost, and on their next
 * handshake send it back as their own: the rules would then refuse another user's record (a
 * colour event by someone else, the server's receipts) and that tablet would re-send it for
 * ever. So each broadcast waits for its update's log write: a client's update until its group
 * commit (beforeSync), any other update (the server's own writes) until its append. Loading and
 * server-side edits logged before they are applied are sent at once. The sender's ack already
 * waited for the same write, so a peer now sees an edit about when its sender is told it is saved.
 */
function holdBroadcastsUntilLogged(document: Document, state: DocState): void {
	const doc = document as unknown as { broadcastUpdate(update: Uint8Array): void };
	const send = doc.broadcastUpdate.bind(document);
	state.send = send;
	// 'afterTransaction' runs before the 'update' event of the same transaction
	document.on('afterTransaction', (transaction: Y.Transaction) => {
		state.origin = transaction.origin;
	});
	doc.broadcastUpdate = (update: Uint8Array) => {
		const origin = state.origin;
		if (origin === LOAD_ORIGIN || (origin as { context?: Partial<DirectContext> } | null)?.context?.loggedBeforeApply) send(update);
		else if (state.holding) state.holding.push(update);
		else state.heldOne = update;
	};
}
