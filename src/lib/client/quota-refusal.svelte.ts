/**
 * What this device does when the server refuses an edit for its size or rate
 * (server/collab/QuotaExtension.ts closes that document with the reason): the edits stay on the
 * device either way. Too large: the same edits would be refused on every try, so the document
 * stops syncing on this device and the header says so. Too fast (the user's or the document's
 * rate): the document is opened again after a pause, and its handshake sends the edits then.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { type QuotaRefusal, QUOTA_CLOSE_CODES, retryable } from '$lib/domain/limits.ts';

const REASONS = Object.keys(QUOTA_CLOSE_CODES) as QuotaRefusal[];

/** Pause before a refused document is opened again, in ms; the jitter spreads a village's tablets. */
export const RETRY_MS = 20_000;

class QuotaNotices {
	/** Documents refused by size (stopped) or rate (waiting), with the reason. */
	refused = $state<Record<string, QuotaRefusal>>({});

	readonly stopped = $derived(Object.values(this.refused).filter((r) => !retryable(r)).length);
	readonly waiting = $derived(Object.values(this.refused).filter((r) => retryable(r)).length);

	set(docName: string, reason: QuotaRefusal): void {
		this.refused = { ...this.refused, [docName]: reason };
	}

	clear(docName: string): void {
		if (!(docName in this.refused)) return;
		const { [docName]: _, ...rest } = this.refused;
		this.refused = rest;
	}
}

export const quotaNotices = new QuotaNotices();

export function isQuotaRefusal(reason: unknown): reason is QuotaRefusal {
	return typeof reason === 'string' && (REASONS as string[]).includes(reason);
}

/** Follows `provider`'s document `name` for quota refusals (see the top of this file). */
export function watchQuotaRefusals(provider: HocuspocusProvider, name: string): void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	provider.on('close', ({ event }: { event?: { reason?: string } }) => {
		const reason = event?.reason;
		if (!isQuotaRefusal(reason)) return;
		quotaNotices.set(name, reason);
		provider.detach();
		if (!retryable(reason) || timer) return;
		timer = setTimeout(() => {
			timer = null;
			provider.attach();
		}, RETRY_MS * (1 + Math.random() / 2));
	});
	provider.on('synced', () => {
		if (quotaNotices.refused[name] && retryable(quotaNotices.refused[name])) quotaNotices.clear(name);
	});
	provider.on('destroy', () => {
		if (timer) clearTimeout(timer);
		quotaNotices.clear(name);
	});
}
