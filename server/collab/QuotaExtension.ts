/**
 * Quotas on what a connection writes (issues 12 and 14): per update, by document kind, its
 * bytes, entries and largest value (src/lib/domain/limits.ts); per user, over all their
 * connections, bytes and updates per second; per document, bytes per second from everyone.
 *
 * Runs in `beforeSync` before the update is applied, and before UpdateValidationExtension's
 * decode, so that an oversized update is refused on its size and declared entry count without
 * being decoded: a refused update is never applied, logged or acknowledged. Throwing closes that
 * document connection with a code and reason the client knows (`update-too-large`: the device
 * stops sending this document, since the same edits would be refused again; `rate-limited`,
 * `document-quota`: it tries again later). The device keeps its edits either way. Refusals are
 * logged, at a bounded rate (a client can provoke them at will).
 *
 * Server-side edits (doc-editor.ts, an admin's import) do not pass here: they are the server's.
 */
import type { beforeSyncPayload, Extension } from '@hocuspocus/server';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import {
	DEFAULT_WRITE_RATES,
	QUOTA_CLOSE_CODES,
	type QuotaRefusal,
	UPDATE_LIMITS,
	type UpdateLimits,
	type WriteRates
} from '../../src/lib/domain/limits.ts';
import { logLimited } from '../log-limited.ts';
import type { CollabContext } from './context.ts';
import { type DecodedUpdate, decodeUpdateOnce } from './decoded-update.ts';
import { TokenBuckets } from '../../src/lib/server/token-buckets.ts';
import { declaredEntries, measureUpdate } from './update-measure.ts';

const SYNC_STEP_2 = 1;
const UPDATE = 2;

export class QuotaExtension implements Extension {
	extensionName = 'QuotaExtension';
	readonly refusals: Record<QuotaRefusal, number> = { 'update-too-large': 0, 'rate-limited': 0, 'document-quota': 0 };
	private readonly userBytes: TokenBuckets;
	private readonly userUpdates: TokenBuckets;
	private readonly docBytes: TokenBuckets;

	constructor(rates: WriteRates = DEFAULT_WRITE_RATES) {
		this.userBytes = new TokenBuckets(rates.userBytes);
		this.userUpdates = new TokenBuckets(rates.userUpdates);
		this.docBytes = new TokenBuckets(rates.docBytes);
	}

	async beforeSync({ type, payload, connection, documentName, context }: beforeSyncPayload<CollabContext>): Promise<void> {
		if ((type !== UPDATE && type !== SYNC_STEP_2) || connection.readOnly) return;
		const kind = parseDocName(documentName)?.kind;
		if (!kind) return;
		const userId = context.user?.id ?? 'unknown';
		const refuse = (reason: QuotaRefusal, fields: Record<string, unknown>): never => {
			this.refusals[reason]++;
			logLimited('warn', 'collab.quotaRefused', { reason, doc: documentName, user: context.user?.username, bytes: payload.length, ...fields });
			throw { code: QUOTA_CLOSE_CODES[reason], reason };
		};

		const limits: UpdateLimits = UPDATE_LIMITS[kind];
		// cheap checks first: this runs before UpdateValidationExtension's decode
		if (payload.length > limits.maxUpdateBytes) refuse('update-too-large', { limit: limits.maxUpdateBytes });
		// A sync step 2 with nothing new (every reconnect) is two bytes: nothing to measure or count.
		if (payload.length <= 2) return;
		const declared = declaredEntries(payload);
		if (declared > limits.maxEntries) refuse('update-too-large', { entries: declared, limit: limits.maxEntries });
		let decoded: DecodedUpdate;
		try {
			decoded = decodeUpdateOnce(payload);
		} catch {
			return; // corrupt: UpdateValidationExtension, next, refuses it and says so
		}
		const measure = measureUpdate(decoded, payload.length, limits.maxValueBytes);
		if (measure.entries > limits.maxEntries) refuse('update-too-large', { entries: measure.entries, limit: limits.maxEntries });
		if (measure.largestValueBytes > limits.maxValueBytes)
			refuse('update-too-large', { valueBytes: measure.largestValueBytes, limit: limits.maxValueBytes });

		if (!this.userBytes.has(userId, payload.length) || !this.userUpdates.has(userId, 1))
			refuse('rate-limited', { retryAfterS: Math.ceil(this.userBytes.secondsUntil(userId, payload.length)) });
		if (!this.docBytes.has(documentName, payload.length))
			refuse('document-quota', { retryAfterS: Math.ceil(this.docBytes.secondsUntil(documentName, payload.length)) });
		this.userBytes.take(userId, payload.length);
		this.userUpdates.take(userId, 1);
		this.docBytes.take(documentName, payload.length);
	}
}
