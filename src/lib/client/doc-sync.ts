/**
 * Keeps one document's "edits not yet on the server" count, across reloads.
 *
 * What counts as confirmed is only the server's own answer to a durable-state question
 * (src/lib/domain/durable-state.ts, server/collab/DurableStateExtension.ts): the state vector
 * of what its update log holds. The provider's acknowledgement count is no proof: on reconnect
 * it restarts at 1, so an earlier update's acknowledgement brings it to 0 while the handshake
 * reply is still unacknowledged. The device asks after each handshake ('synced') and whenever
 * that count reaches 0, and again after a while as long as the answer leaves edits of this
 * device unconfirmed while the provider has nothing in flight (the server said "not yet", or
 * answered before the last edit arrived). Local edits (any transaction that advances this
 * device's client id) record the writing client id, so the count survives a reload. A
 * transaction of this device that only deletes advances no clock: its deleted ranges are kept
 * (localDeletions) and go with the question until the server says its log has them deleted. The last
 * count is stored too, so the app knows at start which documents still have edits to send
 * and can sync them in the background, and a logout knows whether wiping loses anything.
 */
import * as Y from 'yjs';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { db, type SyncStateRow } from './db.ts';
import { DexieYProvider } from 'y-dexie';
import { deletionRanges, encodeDurableStateQuery, parseDurableStateAnswer, type DeletionRange } from '$lib/domain/durable-state.ts';
import { clientsAhead, unsyncedEdits } from './unsynced.ts';
import { syncStatus } from './sync-status.svelte.ts';
import { activeUserId } from './account.ts';

export interface DocSync {
	/** Edits made on this device that the server has not confirmed (0 until the row is read). */
	readonly pending: number;
	/**
	 * Resolves once nothing is pending and the device's stored count says so too (as soon as
	 * that write is done, if so already): a logout checks the stored counts right after.
	 */
	whenClean(): Promise<void>;
	/** Stops tracking; resolves once its writes to the device database are done (wait before deleting it). */
	stop(): Promise<void>;
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const ASK_AGAIN_FIRST_MS = 1_000;
const ASK_AGAIN_MAX_MS = 30_000;
/** Deletion ranges per question (the server answers "not held" above MAX_QUERY_RANGES). */
const RANGES_PER_QUESTION = 2_000;

export function trackDocSync(docName: string, doc: Y.Doc, provider: HocuspocusProvider, whenLoaded: Promise<void>): DocSync {
	let row: SyncStateRow | undefined;
	let loaded = false;
	let stopped = false;
	let pending = 0;
	let writes = Promise.resolve();
	let waiters: (() => void)[] = [];

	const persist = (next: SyncStateRow) => {
		row = next;
		writes = writes.then(() => db().syncState.put(next).then(() => undefined)).catch((e) => console.error('syncState', e));
	};

	const emptyRow = (): SyncStateRow => ({
		docName,
		confirmedStateVector: EMPTY_STATE_VECTOR,
		confirmedAt: '',
		localClients: [],
		pendingEdits: 0
	});

	const countOf = (r: SyncStateRow | undefined) =>
		unsyncedEdits(Y.encodeStateVector(doc), r?.confirmedStateVector, r?.localClients ?? []) + (r?.localDeletions?.length ?? 0);

	/**
	 * Lets the waiters go once the writes queued so far are done, if by then nothing is pending
	 * and nothing newer was queued (a newer write's recount comes back here). Before, the stored
	 * count may still say edits wait: a logout reading it would ask again with nothing to send.
	 */
	const releaseWaiters = () => {
		const queued = writes;
		void queued.then(() => {
			if (stopped || writes !== queued || !loaded || pending !== 0) return;
			const done = waiters;
			waiters = [];
			for (const w of done) w();
		});
	};

	const recount = () => {
		if (stopped) return;
		pending = countOf(row);
		syncStatus.setPending(docName, pending);
		if (loaded && row && row.pendingEdits !== pending) persist({ ...row, pendingEdits: pending });
		if (pending === 0 && loaded) releaseWaiters();
	};

	// One question in flight at a time; a reason to ask while one is out asks once more after.
	let asking = false;
	let askAfter = false;
	let retryTimer: ReturnType<typeof setTimeout> | null = null;
	let retryMs = 0;
	// The last question: its id, and how many deletion entries (the oldest) it asked about.
	let questionId = 0;
	let askedDeletions = 0;

	const ask = () => {
		if (stopped || !loaded || !provider.isSynced) return;
		if (asking) {
			askAfter = true;
			return;
		}
		asking = true;
		askAfter = false;
		// the oldest deletion entries, as many as fit in one question; the rest in the next ones
		const ranges: DeletionRange[] = [];
		let entries = 0;
		for (const entry of row?.localDeletions ?? []) {
			if (entries > 0 && ranges.length + entry.length > RANGES_PER_QUESTION) break;
			ranges.push(...entry);
			entries++;
		}
		questionId++;
		askedDeletions = entries;
		provider.sendStateless(encodeDurableStateQuery(questionId, ranges));
	};

	/** Asks again later (1 s, doubling up to 30 s) while edits wait and nothing else will ask. */
	const askLater = () => {
		if (stopped || retryTimer || pending === 0) return;
		retryMs = Math.min(ASK_AGAIN_MAX_MS, retryMs === 0 ? ASK_AGAIN_FIRST_MS : retryMs * 2);
		retryTimer = setTimeout(() => {
			retryTimer = null;
			ask();
		}, retryMs);
	};

	const onStateless = ({ payload }: { payload: string }) => {
		const answer = parseDurableStateAnswer(payload);
		if (!answer || stopped) return;
		asking = false;
		if (answer.stateVector && loaded) {
			const confirmed = answer.stateVector;
			const base = row ?? emptyRow();
			const localClients = clientsAhead(Y.encodeStateVector(doc), confirmed, base.localClients);
			// entries are only appended between a question and its answer: the oldest were asked about
			const asked = answer.id === questionId ? askedDeletions : 0;
			const localDeletions = answer.deletionsHeld ? (base.localDeletions ?? []).slice(asked) : (base.localDeletions ?? []);
			if (answer.id === questionId) askedDeletions = 0;
			// more deletions than one question carries: ask about the next ones at once
			if (answer.deletionsHeld && asked > 0 && localDeletions.length > 0) askAfter = true;
			const next: SyncStateRow = {
				docName,
				confirmedStateVector: confirmed,
				confirmedAt: new Date().toISOString(),
				localClients,
				pendingEdits: 0,
				...(localDeletions.length > 0 ? { localDeletions } : {}),
				...((localClients.length > 0 || localDeletions.length > 0) && base.userId !== undefined ? { userId: base.userId } : {})
			};
			// one write holding the confirmation and the count it leaves, never a row whose count is stale
			persist({ ...next, pendingEdits: countOf(next) });
			recount();
		}
		if (pending === 0) retryMs = 0;
		if (askAfter) ask();
		else if (pending > 0 && provider.isSynced && provider.unsyncedChanges === 0) askLater();
	};

	const onSynced = () => {
		// a new handshake: an earlier question may have gone with the old socket
		asking = false;
		ask();
	};

	const onUnsynced = ({ number }: { number: number }) => {
		if (number === 0) ask();
	};

	const onClose = () => {
		asking = false;
	};

	let ownClock = Y.getState(doc.store, doc.clientID);
	const onUpdate = (update: Uint8Array, origin: unknown) => {
		// Only this device's own transactions advance its client id's clock (Yjs picks a new id if
		// a remote update uses it), whatever their origin: the domain mutations have none, the
		// minutes editor's carry its plugin key.
		const clock = Y.getState(doc.store, doc.clientID);
		const advanced = clock > ownClock;
		ownClock = clock;
		if (row?.localClients.includes(doc.clientID) !== true && clock > 0) {
			const base = row ?? emptyRow();
			persist({ ...base, localClients: [...base.localClients, doc.clientID], userId: activeUserId() ?? base.userId });
		}
		// A transaction of this device that only deleted (a cleared field, deleted text): the
		// state vector misses it, so its ranges wait for the server to confirm them deleted.
		// (Deletions that come with new items travel in the same update as those items.)
		if (!advanced && origin !== provider && !(origin instanceof DexieYProvider)) {
			const ranges: DeletionRange[] = deletionRanges(update);
			if (ranges.length > 0) {
				const base = row ?? emptyRow();
				persist({ ...base, localDeletions: [...(base.localDeletions ?? []), ranges], userId: activeUserId() ?? base.userId });
			}
		}
		recount();
	};

	doc.on('update', onUpdate);
	provider.on('synced', onSynced);
	provider.on('unsyncedChanges', onUnsynced);
	provider.on('stateless', onStateless);
	provider.on('close', onClose);

	// the stored row, merged with what edits made meanwhile wrote (stop() waits for this write too)
	const read = db()
		.syncState.get(docName)
		.then((stored) => {
			// an edit made before this read finished already wrote a row: merge its client ids
			if (stored && row) {
				const localDeletions = [...(stored.localDeletions ?? []), ...(row.localDeletions ?? [])];
				row = {
					...stored,
					localClients: [...new Set([...stored.localClients, ...row.localClients])],
					...(localDeletions.length > 0 ? { localDeletions } : {}),
					userId: row.userId ?? stored.userId
				};
			}
			else row = row ?? stored;
			if (row) persist(row);
		});
	void read
		.then(() => whenLoaded)
		.then(() => {
			loaded = true;
			recount();
			if (provider.isSynced) onSynced();
		});

	return {
		get pending() {
			return pending;
		},
		whenClean() {
			return new Promise<void>((resolve) => {
				waiters.push(resolve);
				if (loaded && pending === 0) releaseWaiters();
			});
		},
		stop() {
			stopped = true;
			doc.off('update', onUpdate);
			provider.off('synced', onSynced);
			provider.off('unsyncedChanges', onUnsynced);
			provider.off('stateless', onStateless);
			provider.off('close', onClose);
			if (retryTimer) clearTimeout(retryTimer);
			syncStatus.forget(docName);
			for (const w of waiters) w();
			waiters = [];
			// nothing queues a write once stopped: after these, the row is as it will stay
			return read.then(
				() => writes,
				() => writes
			);
		}
	};
}

/**
 * Names of the documents that had edits not yet on the server when last seen; with `userId`,
 * only those whose edits that user made (rows from before users were recorded count as theirs).
 */
export async function docsWithPendingEdits(userId?: string): Promise<string[]> {
	const rows = await db().syncState.toArray();
	return rows
		.filter((r) => (r.pendingEdits ?? 0) > 0 && (userId === undefined || r.userId === undefined || r.userId === userId))
		.map((r) => r.docName);
}

/** Edits not yet on the server per user id, from every document's last count. */
export async function pendingEditsByUser(): Promise<Map<string, number>> {
	const byUser = new Map<string, number>();
	for (const r of await db().syncState.toArray()) {
		if ((r.pendingEdits ?? 0) <= 0) continue;
		const key = r.userId ?? '';
		byUser.set(key, (byUser.get(key) ?? 0) + r.pendingEdits);
	}
	return byUser;
}
