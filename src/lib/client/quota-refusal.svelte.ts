/**
 * The header's notice of documents whose edits the server refused for size or rate
 * (quota-retry.ts does what the device does about it).
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { type QuotaRefusal, retryable } from '$lib/domain/limits.ts';
import { watchQuotaRefusals } from './quota-retry.ts';

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

/** Follows `provider`'s document `name` for quota refusals, and keeps the notice up to date. */
export function noticeQuotaRefusals(provider: HocuspocusProvider, name: string): void {
	watchQuotaRefusals(provider, { refused: (reason) => quotaNotices.set(name, reason), cleared: () => quotaNotices.clear(name) });
}
