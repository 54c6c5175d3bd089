/**
 * How much one update may carry, per document kind, and how fast one user and one document may
 * write: the one place these numbers live (server/collab/QuotaExtension.ts enforces them; the
 * client names the refusals). Chosen from measurement (see tests/integration/quotas.test.ts and
 * bench/RESULTS.md, "Quotas"):
 *
 * - a 5,000-household grid sent whole (a device re-seeding an emptied server): 2.24 MB,
 *   60,000 structs, largest value 132 bytes;
 * - 3,000 offline household edits merged into one catch-up update: 158 KB, 6,000 structs;
 * - 3,000 random inserts into the minutes: 73 KB, 4,003 structs; a typed character ≈ 30 bytes;
 * - a grid boundary of 5,000 vertices: ≈ 200 KB as one value.
 *
 * Attacks seen (issue 12): a 5 MB string, 100,000 map entries in one update, 49 MB in 2.7 s
 * from one login. Each limit is several times the honest figure and well under the attack.
 * Server-side edits (admin imports, doc-editor.ts) are the server's own and not limited here.
 */
import type { DocKind } from './doc-names.ts';

export interface UpdateLimits {
	/** Bytes of one update (a sync update or the SyncStep2 of a reconnect). */
	maxUpdateBytes: number;
	/** Structs plus deleted ranges in one update: roughly the entries it writes or deletes. */
	maxEntries: number;
	/** Bytes of one value (a string, a JSON value, a binary) or one map key. */
	maxValueBytes: number;
}

const MB = 1024 * 1024;
const KB = 1024;

export const UPDATE_LIMITS: Record<DocKind, UpdateLimits> = {
	grid: { maxUpdateBytes: 4 * MB, maxEntries: 80_000, maxValueBytes: 256 * KB },
	gridRestricted: { maxUpdateBytes: 2 * MB, maxEntries: 40_000, maxValueBytes: 64 * KB },
	session: { maxUpdateBytes: 2 * MB, maxEntries: 40_000, maxValueBytes: 64 * KB },
	dispute: { maxUpdateBytes: 2 * MB, maxEntries: 40_000, maxValueBytes: 64 * KB },
	directory: { maxUpdateBytes: 1 * MB, maxEntries: 20_000, maxValueBytes: 16 * KB }
};

/** A token bucket: `burst` at most, refilled at `perSecond`. */
export interface Rate {
	burst: number;
	perSecond: number;
}

export interface WriteRates {
	/** Bytes one user may write, over all their connections and documents. */
	userBytes: Rate;
	/** Updates one user may send, over all their connections and documents. */
	userUpdates: Rate;
	/** Bytes all users together may write into one document. */
	docBytes: Rate;
}

/**
 * Defaults. A user's burst holds the largest honest update (a whole grid); after it, 8 KB/s
 * (≈ 700 MB a day at most) is still 25 times a meeting's fastest typist. A document takes
 * 16 MB at once and 32 KB/s after, so one writer cannot use up a document on their own.
 */
export const DEFAULT_WRITE_RATES: WriteRates = {
	userBytes: { burst: 4 * MB, perSecond: 8 * KB },
	userUpdates: { burst: 600, perSecond: 30 },
	docBytes: { burst: 16 * MB, perSecond: 32 * KB }
};

/**
 * Incomplete updates (their clocks leave a gap) one user may have refused with a reconnect
 * (server/collab/RulesExtension.ts): an honest device sends one now and then, after a server
 * lost edits it had acknowledged; a client that sends them in a loop makes the server refuse,
 * close and re-admit its socket each time. Past the burst the user's updates to guarded
 * documents are refused as `rate-limited` (no reconnect) until the bucket refills.
 */
export const INCOMPLETE_UPDATE_RATE: Rate = { burst: 5, perSecond: 1 / 60 };

/** Why an update was refused; the client translates the code (i18n `quota.*`). */
export type QuotaRefusal = 'update-too-large' | 'rate-limited' | 'document-quota';

/** Close codes of a refused update's document connection (4xxx: application codes). */
export const QUOTA_CLOSE_CODES: Record<QuotaRefusal, number> = {
	'update-too-large': 4413,
	'rate-limited': 4429,
	'document-quota': 4430
};

/** Whether the device should try the same edits again later (a rate), or never (a size). */
export function retryable(reason: QuotaRefusal): boolean {
	return reason !== 'update-too-large';
}
