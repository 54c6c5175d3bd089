/**
 * The one rules extension (design.md §9, issues 12 and 14): every update a connection sends to
 * a rule-guarded document (grid, session: src/lib/domain/rules.ts) is judged on what it DOES
 * once integrated, before it is applied to the live document. A refused update is never
 * applied, never acknowledged and never logged; the refusal is one log line.
 *
 * How: the update is applied to a shadow copy of the document; the Yjs transaction that
 * integrates it says what changed (doc-change.ts: parents and keys as Yjs resolved them,
 * deletions, structs released from pending), and the kind's rules compare the records under
 * the touched keys before (the live document) and after (the shadow), knowing the sender (user
 * id, roles at this place) and the server's receive time.
 *
 * Pending: an update that would leave structs or deletions pending (its clocks leave a gap, or
 * it deletes what the server does not hold) is refused. A pending update changes nothing when
 * it arrives and something later, when a gap-filling update releases it; judging it then would
 * attribute it to whoever filled the gap (issue 14: a forged vote let through by a "typing"
 * update). Such a refusal closes the whole socket with code 4000 (`incomplete-update`), like a
 * re-admission: the provider reconnects by itself and its sync handshake sends everything the
 * server lacks in one complete diff, which is judged as a whole. An honest device is therefore
 * never stuck nor told it is forbidden. (PersistenceExtension's logging of pending updates on
 * arrival remains for the documents without rules.) A client that loops (gapped update, close,
 * reconnect, again) costs a re-admission and a rebuilt shadow each time: past a per-user burst
 * (INCOMPLETE_UPDATE_RATE, limits.ts) that user's updates are refused unjudged as `rate-limited`
 * (4429, the quota refusal the client already knows: it pauses, then syncs again) until the
 * bucket refills; the refusals are logged at a bounded rate.
 *
 * Rule violations close the document connection with 4403 and reason `session-rule` (session
 * documents: the client stops syncing that session and says so, session-open.ts) or
 * `grid-rule`.
 *
 * The shadow: cloning a 1,000-household grid per update costs ~55 ms, applying an update to a
 * kept copy ~0.01 ms. So each guarded document loaded has one shadow, created at its first
 * judgement and kept in step with the live document by its 'update' event; it is dropped after
 * a refusal (it then holds the refused update) and rebuilt at the next judgement, and dropped
 * when idle (SHADOW_IDLE_MS) to give its memory back. While another connection's accepted update
 * is judged but not yet applied to the live document ("in flight": the hooks after this one
 * are awaited), the shadow is ahead of the live document; a judgement then uses a one-off copy
 * of the live document instead, so "before" and "after" differ by exactly the judged update.
 *
 * After an accepted update is applied, the rules may ask for a server write (the receive time
 * of each claim, the count of a closed vote): it runs in a transaction of its own, origin
 * RULES_ORIGIN, logged like every update (as 'system') and broadcast.
 */
import type { afterHandleMessagePayload, afterUnloadDocumentPayload, beforeSyncPayload, Connection, Document, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { captureChange, type DocChange } from '../../src/lib/domain/doc-change.ts';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { ACCESS_MATRIX, covers, type Membership, type Role } from '../../src/lib/domain/roles.ts';
import { type Actor, type DocRules, rulesFor } from '../../src/lib/domain/rules.ts';
import { docAccess } from '../../src/lib/server/doc-access.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { INCOMPLETE_UPDATE_RATE, QUOTA_CLOSE_CODES } from '../../src/lib/domain/limits.ts';
import { TokenBuckets } from '../../src/lib/server/token-buckets.ts';
import { log } from '../log.ts';
import { logLimited } from '../log-limited.ts';
import type { CollabContext } from './context.ts';

const SYNC_STEP_2 = 1;
const UPDATE = 2;
/** WebSocket close code of a refused incomplete update: reconnect and sync again (as RevocationExtension's re-admission). */
export const INCOMPLETE_SOCKET_CODE = 4000;
export const INCOMPLETE_REASON = 'incomplete-update';
const SHADOW_IDLE_MS = 60_000;

/** Origin of the server's own follow-up writes (logged as 'system'). */
export const RULES_ORIGIN = { source: 'local', context: { rules: true } } as const;

interface DocState {
	rules: DocRules;
	shadow: Y.Doc | null;
	lastUsed: number;
	/** Connections whose accepted update the live document has not applied yet. */
	inFlight: Set<Connection>;
	/** Server writes to make once a connection's accepted update is applied. */
	followUps: Map<Connection, (live: Y.Doc) => void>;
	/** Follow-ups whose update the live document has applied, to run in a transaction of their own (`settle`). */
	due: ((live: Y.Doc) => void)[];
	stopListening: () => void;
}

type Verdict = { ok: true } | { ok: false; why: 'pending' | 'rules'; violations: string[] };

function pendingSignature(doc: Y.Doc): string {
	const s = doc.store.pendingStructs?.update;
	const d = doc.store.pendingDs;
	return s || d ? `${s ? Buffer.from(s).toString('base64') : ''}|${d ? Buffer.from(d).toString('base64') : ''}` : '';
}

export class RulesExtension implements Extension {
	extensionName = 'RulesExtension';
	refused = 0;
	refusedPending = 0;
	/** Updates refused unjudged because their user sent too many incomplete ones. */
	refusedIncompleteRate = 0;
	judged = 0;
	oneOffCopies = 0;
	private readonly store: AsyncStore;
	private readonly docs = new Map<string, DocState>();
	private readonly roles = new WeakMap<Connection, { memberships: Membership[]; roles: Role[] }>();
	private readonly idleTimer: ReturnType<typeof setInterval>;
	/** Per user: incomplete updates they may still have refused with a reconnect. */
	private readonly incomplete = new TokenBuckets(INCOMPLETE_UPDATE_RATE);

	constructor(store: AsyncStore) {
		this.store = store;
		this.idleTimer = setInterval(() => this.dropIdleShadows(), SHADOW_IDLE_MS);
		this.idleTimer.unref();
	}

	async beforeSync({ type, payload, connection, documentName, document, context }: beforeSyncPayload<CollabContext>): Promise<void> {
		if (type !== UPDATE && type !== SYNC_STEP_2) return;
		if (connection.readOnly) return;
		if (!this.stateOf(documentName, document)) return;
		// read from the store once per connection (and after its memberships change)
		const roles = this.cachedRoles(connection) ?? (await this.rolesOf(connection, documentName));
		const state = this.stateOf(documentName, document);
		if (!state) return;
		const userId = context.user?.id ?? '';
		// (an empty handshake reply, every reconnect, has nothing to judge)
		if (payload.length > 2 && !this.incomplete.has(userId, 1)) {
			// a loop of incomplete updates: refused unjudged (no shadow rebuilt, no reconnect) until
			// the bucket refills; the device pauses and its next handshake sends a complete diff
			this.refused++;
			this.refusedIncompleteRate++;
			const retryAfterS = Math.ceil(this.incomplete.secondsUntil(userId, 1));
			logLimited('warn', 'collab.ruleRefused', { doc: documentName, user: context.user?.username, reason: 'rate-limited', after: INCOMPLETE_REASON, retryAfterS });
			throw { code: QUOTA_CLOSE_CODES['rate-limited'], reason: 'rate-limited' };
		}
		const actor: Actor = { userId, roles, now: new Date().toISOString() };
		const verdict = this.judge(state, document, connection, payload, actor);
		if (verdict.ok) return;
		this.refused++;
		if (verdict.why === 'pending') {
			this.refusedPending++;
			this.incomplete.take(userId, 1);
			logLimited('warn', 'collab.ruleRefused', { doc: documentName, user: context.user?.username, reason: INCOMPLETE_REASON, bytes: payload.length });
			// the whole socket: the provider reconnects and its handshake sends a complete diff
			try {
				connection.webSocket.close(INCOMPLETE_SOCKET_CODE, INCOMPLETE_REASON);
			} catch {
				// already closing
			}
			throw { code: 4400, reason: INCOMPLETE_REASON };
		}
		const kind = parseDocName(documentName)?.kind;
		log('warn', 'collab.ruleRefused', { doc: documentName, user: context.user?.username, reason: `${kind}-rule`, violations: verdict.violations.slice(0, 5).join('; '), count: verdict.violations.length });
		throw { code: 4403, reason: `${kind}-rule` };
	}

	/** The live document has applied a message: an accepted update that did not reach it leaves the shadow ahead. */
	async afterHandleMessage({ documentName, connection }: afterHandleMessagePayload): Promise<void> {
		const state = this.docs.get(documentName);
		if (!state || !state.inFlight.has(connection)) return;
		state.inFlight.delete(connection);
		state.followUps.delete(connection);
		this.dropShadow(state);
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		const state = this.docs.get(documentName);
		if (!state) return;
		state.stopListening();
		this.dropShadow(state);
		this.docs.delete(documentName);
	}

	async onDestroy(): Promise<void> {
		clearInterval(this.idleTimer);
	}

	/**
	 * Runs the server writes that applied updates asked for and that have not run yet. Also
	 * called by FreezeExtension before it takes a session's hash, so that a close that freezes
	 * the session in the same update is frozen with the server's count (issue 14).
	 */
	settle(documentName: string, document: Document): void {
		const state = this.docs.get(documentName);
		if (!state || state.due.length === 0 || document.isDestroyed) return;
		const due = state.due.splice(0);
		for (const followUp of due) {
			try {
				document.transact(() => followUp(document), RULES_ORIGIN);
			} catch (error) {
				log('error', 'collab.ruleFollowUpFailed', { doc: documentName, error });
			}
		}
	}

	private stateOf(documentName: string, document: Document): DocState | null {
		const existing = this.docs.get(documentName);
		if (existing) return existing;
		const kind = parseDocName(documentName)?.kind;
		const rules = kind ? rulesFor(kind) : null;
		if (!rules) return null;
		const state: DocState = { rules, shadow: null, lastUsed: Date.now(), inFlight: new Set(), followUps: new Map(), due: [], stopListening: () => {} };
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			// keeps the shadow in step (a no-op for the update it was judged on)
			if (state.shadow) Y.applyUpdate(state.shadow, update);
			const connection = (origin as { connection?: Connection } | null)?.connection;
			if (!connection || !state.inFlight.delete(connection)) return;
			const followUp = state.followUps.get(connection);
			state.followUps.delete(connection);
			if (!followUp) return;
			state.due.push(followUp);
			// not inside the update event that asked for it: a transaction (and log entry) of its own
			setImmediate(() => this.settle(documentName, document));
		};
		document.on('update', onUpdate);
		state.stopListening = () => document.off('update', onUpdate);
		this.docs.set(documentName, state);
		return state;
	}

	private judge(state: DocState, live: Document, connection: Connection, update: Uint8Array, actor: Actor): Verdict {
		this.judged++;
		state.lastUsed = Date.now();
		const others = [...state.inFlight].some((c) => c !== connection);
		let after: Y.Doc;
		if (others) {
			this.oneOffCopies++;
			after = copyOf(live);
		} else {
			if (!state.shadow) state.shadow = copyOf(live);
			after = state.shadow;
		}
		const pendingBefore = pendingSignature(after);
		let change: DocChange;
		try {
			change = captureChange(after, () => Y.applyUpdate(after, update));
		} catch (error) {
			// UpdateValidationExtension decoded it already; a failure here leaves the copy unknown
			if (after === state.shadow) this.dropShadow(state);
			return { ok: false, why: 'rules', violations: [`update could not be applied: ${String(error)}`] };
		}
		const pendingAfter = pendingSignature(after);
		// Pending parts left behind (beyond what the document already held pending, if anything:
		// a log written before this rule existed may hold some) are refused.
		if (pendingAfter !== '' && pendingAfter !== pendingBefore) {
			this.discard(state, after);
			return { ok: false, why: 'pending', violations: [] };
		}
		let judgement: ReturnType<DocRules['judge']>;
		try {
			judgement = state.rules.judge(live, after, change, actor);
		} catch (error) {
			// a fault in the rules refuses (fails closed) rather than letting the update through
			log('error', 'collab.rulesFailed', { doc: live.name, error });
			this.discard(state, after);
			return { ok: false, why: 'rules', violations: [`the rules could not judge the update: ${String(error)}`] };
		}
		const { violations, followUp } = judgement;
		if (violations.length > 0) {
			this.discard(state, after);
			return { ok: false, why: 'rules', violations };
		}
		if (after !== state.shadow) after.destroy();
		else if (change.roots.size > 0) state.inFlight.add(connection);
		if (followUp) {
			state.inFlight.add(connection);
			state.followUps.set(connection, followUp);
		}
		return { ok: true };
	}

	/** After a refusal: the copy holds the refused update. */
	private discard(state: DocState, copy: Y.Doc): void {
		if (copy === state.shadow) this.dropShadow(state);
		else copy.destroy();
	}

	private dropShadow(state: DocState): void {
		state.shadow?.destroy();
		state.shadow = null;
	}

	private dropIdleShadows(): void {
		const now = Date.now();
		for (const state of this.docs.values()) if (state.shadow && state.inFlight.size === 0 && now - state.lastUsed > SHADOW_IDLE_MS) this.dropShadow(state);
	}

	/** The roles the connection's user holds at this document's place with write access to its kind. */
	/** The roles worked out for this connection before, unless its memberships changed since. */
	private cachedRoles(connection: Connection): Role[] | null {
		const memberships = (connection.context as Partial<CollabContext>).user?.memberships ?? [];
		const cached = this.roles.get(connection);
		// RevocationExtension replaces the memberships array when it judges again
		return cached && cached.memberships === memberships ? cached.roles : null;
	}

	private async rolesOf(connection: Connection, documentName: string): Promise<Role[]> {
		const context = connection.context as Partial<CollabContext>;
		const memberships = context.user?.memberships ?? [];
		const judged = await docAccess(this.store, memberships, documentName);
		const roles = judged.ok
			? [...new Set(memberships.filter((m) => covers(m, judged.place, judged.name.kind) && ACCESS_MATRIX[m.role][judged.name.kind] === 'write').map((m) => m.role))]
			: [];
		this.roles.set(connection, { memberships, roles });
		return roles;
	}
}

function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}
