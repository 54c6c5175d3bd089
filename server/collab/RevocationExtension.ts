/**
 * Revocation: open connections follow access as it changes (issue 3, "memberships change
 * live"). Admission (AuthExtension) judges a connection once, when it opens; this extension
 * judges it again
 * - at once, for every open connection of a user the routes name in an AccessEvents notice
 *   (membership given or taken, account disabled, session or password revoked), and
 * - every `sweepMs` for all connections, which catches expired sessions and changes made by
 *   another process (the admin CLI) that sent no notice.
 *
 * A connection whose session is gone is closed with reason `session-revoked`; one whose
 * document the user may no longer open, `access-revoked`. Both are document-level closes: the
 * reason reaches the provider's `close` event, the provider stops syncing that document, and
 * the socket stays open for the user's other documents.
 *
 * A connection that may now only read is made read-only on the spot (Hocuspocus drops its
 * updates from the next message on), closed with `access-reduced`, and its WebSocket is
 * closed too (code 4000, same reason): the provider reconnects by itself and every document
 * on that socket is admitted again as it now stands, this one read-only. (Re-admitting one
 * document on an open socket is racy in Hocuspocus 4: a detach/attach's close and auth
 * messages can cross.) A read-only connection that may now write is re-admitted the same way,
 * with reason `access-extended`. Not so a connection held read-only for another reason than
 * access (`heldReadOnly`: a frozen session, FreezeExtension): re-admitting it would make it
 * read-only again, and each sweep would close every writer's socket of that session (issue 14).
 */
import type { Connection, Extension, Hocuspocus } from '@hocuspocus/server';
import type { Membership } from '../../src/lib/domain/roles.ts';
import type { AccessChange, AccessEvents } from '../../src/lib/server/access-events.ts';
import { docAccess } from '../../src/lib/server/doc-access.ts';
import type { AsyncStore, SessionRecord } from '../../src/lib/server/async-store.ts';
import { log } from '../log.ts';
import type { CollabContext } from './context.ts';

export const CLOSE_REASONS = {
	sessionRevoked: 'session-revoked',
	/** The session ended because an admin disabled the account: the device says so, not "expired". */
	accountDisabled: 'account-disabled',
	accessRevoked: 'access-revoked',
	accessReduced: 'access-reduced',
	accessExtended: 'access-extended'
} as const;

/** Close code of a document close (the provider sees only the reason). */
const CLOSE_CODE = 4403;
/** WebSocket close code after access was reduced or extended: reconnect and be admitted again. */
export const READMIT_SOCKET_CODE = 4000;

type Verdict = 'keep' | (typeof CLOSE_REASONS)[keyof typeof CLOSE_REASONS];

/** One read of the store per key in a judging pass. */
type Lookup = (key: string, read: () => Promise<unknown>) => Promise<unknown>;

export class RevocationExtension implements Extension {
	extensionName = 'RevocationExtension';
	closed = 0;
	private readonly store: AsyncStore;
	private readonly sweepMs: number;
	private readonly heldReadOnly: (documentName: string) => boolean;
	private hocuspocus: Hocuspocus | null = null;
	private stopListening: (() => void) | null = null;
	private timer: ReturnType<typeof setInterval> | null = null;

	constructor(store: AsyncStore, events: AccessEvents, options: { sweepMs?: number; heldReadOnly?: (documentName: string) => boolean } = {}) {
		this.store = store;
		this.sweepMs = options.sweepMs ?? 30_000;
		this.heldReadOnly = options.heldReadOnly ?? (() => false);
		this.stopListening = events.on((change) => this.onAccessChange(change));
	}

	/** Gives the extension the instance whose connections it judges, and starts the sweep. */
	attach(hocuspocus: Hocuspocus): void {
		this.hocuspocus = hocuspocus;
		if (this.sweepMs > 0 && !this.timer) {
			this.timer = setInterval(() => void this.sweep(), this.sweepMs);
			this.timer.unref();
		}
	}

	async onDestroy(): Promise<void> {
		this.stopListening?.();
		this.stopListening = null;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	private onAccessChange(change: AccessChange): void {
		void this.judgeAll((context) => context.user.id === change.userId).then(
			(judged) => log('info', 'collab.accessChanged', { user: change.userId, reason: change.reason, ...judged }),
			(error: unknown) => log('error', 'collab.judgeFailed', { user: change.userId, reason: change.reason, error })
		);
	}

	/** Judges every open connection again (expired sessions, changes from other processes). */
	async sweep(): Promise<void> {
		try {
			const judged = await this.judgeAll(() => true);
			// every pass at debug level (tests wait for passes), those that closed something at info
			log(judged.closed > 0 || judged.reduced > 0 || judged.extended > 0 ? 'info' : 'debug', 'collab.sweep', judged);
		} catch (error) {
			// the store did not answer: the connections are judged again on the next pass
			log('error', 'collab.sweepFailed', { error });
		}
	}

	private async judgeAll(select: (context: CollabContext) => boolean): Promise<Record<'checked' | 'closed' | 'reduced' | 'extended', number>> {
		const counts = { checked: 0, closed: 0, reduced: 0, extended: 0 };
		if (!this.hocuspocus) return counts;
		const now = Date.now();
		const targets: { connection: Connection<CollabContext>; documentName: string }[] = [];
		for (const document of this.hocuspocus.documents.values()) {
			for (const connection of document.getConnections() as Connection<CollabContext>[]) {
				if (connection.context?.user && select(connection.context)) targets.push({ connection, documentName: document.name });
			}
		}
		// One look at the store per session and per user in a pass, however many documents they hold.
		const asked = new Map<string, Promise<unknown>>();
		const lookup: Lookup = (key, read) => {
			if (!asked.has(key)) asked.set(key, read());
			return asked.get(key) as Promise<never>;
		};
		const verdicts = await Promise.all(targets.map((t) => this.judge(t.connection, t.documentName, lookup, now)));
		targets.forEach(({ connection, documentName }, i) => {
			const verdict = verdicts[i];
			const context = connection.context;
			counts.checked++;
			if (verdict === 'keep') return;
			const readmit = verdict === CLOSE_REASONS.accessReduced || verdict === CLOSE_REASONS.accessExtended;
			if (verdict === CLOSE_REASONS.accessReduced) {
				connection.readOnly = true;
				counts.reduced++;
			} else if (verdict === CLOSE_REASONS.accessExtended) {
				counts.extended++;
			} else {
				counts.closed++;
			}
			this.closed++;
			log('info', 'collab.revoked', { doc: documentName, user: context.user.username, reason: verdict });
			connection.close({ code: CLOSE_CODE, reason: verdict });
			if (readmit) connection.webSocket.close(READMIT_SOCKET_CODE, verdict);
		});
		return counts;
	}

	private async judge(connection: Connection<CollabContext>, documentName: string, lookup: Lookup, now: number): Promise<Verdict> {
		const { user, sessionId } = connection.context;
		const [session, disabled] = await Promise.all([
			lookup(`session:${sessionId}`, () => this.store.session(sessionId)) as Promise<SessionRecord | null>,
			lookup(`disabled:${user.id}`, () => this.store.userDisabled(user.id)) as Promise<boolean>
		]);
		if (!session || session.expiresAt <= now || disabled) return disabled ? CLOSE_REASONS.accountDisabled : CLOSE_REASONS.sessionRevoked;
		const memberships = (await lookup(`memberships:${user.id}`, () => this.store.memberships(user.id))) as Membership[];
		user.memberships = memberships;
		const judged = await docAccess(this.store, memberships, documentName);
		if (!judged.ok) return CLOSE_REASONS.accessRevoked;
		if (judged.access === 'read' && !connection.readOnly) return CLOSE_REASONS.accessReduced;
		if (judged.access === 'write' && connection.readOnly && !this.heldReadOnly(documentName)) return CLOSE_REASONS.accessExtended;
		return 'keep';
	}
}
