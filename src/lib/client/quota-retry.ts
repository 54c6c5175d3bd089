/**
 * What a device does when the server refuses an edit for its size or rate
 * (server/collab/QuotaExtension.ts closes that document with the reason). The edits stay in the
 * document (and in IndexedDB) either way. Too large: the same edits would be refused on every
 * try, so the document stops syncing on this device. Too fast (the user's or the document's
 * rate): the document is opened again after a pause, and its handshake sends the edits then.
 * Plain TypeScript with relative imports, so the integration tests run it against the server.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { QUOTA_CLOSE_CODES, type QuotaRefusal, retryable } from '../domain/limits.ts';

const REASONS = Object.keys(QUOTA_CLOSE_CODES) as QuotaRefusal[];

/** Pause before a refused document is opened again, in ms; up to half again as jitter spreads a village's tablets. */
export const RETRY_MS = 20_000;

export function isQuotaRefusal(reason: unknown): reason is QuotaRefusal {
	return typeof reason === 'string' && (REASONS as string[]).includes(reason);
}

export interface QuotaListener {
	/** The server refused this document's edits for `reason` (the document is detached). */
	refused(reason: QuotaRefusal): void;
	/** The document synced again after a refusal, or was closed on this device. */
	cleared(): void;
}

/** Follows `provider` for quota refusals (see the top of this file). */
export function watchQuotaRefusals(provider: HocuspocusProvider, listener: QuotaListener, retryMs: number = RETRY_MS): void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let refusal: QuotaRefusal | null = null;
	provider.on('close', ({ event }: { event?: { reason?: string } }) => {
		const reason = event?.reason;
		if (!isQuotaRefusal(reason)) return;
		refusal = reason;
		listener.refused(reason);
		// The server has closed this document already. Leave the socket's map first, so that
		// detach() sends no Close of its own: the server would keep it for this document's next
		// authentication on the socket and apply it then, closing the document again at once.
		provider.configuration.websocketProvider.configuration.providerMap.delete(provider.effectiveName);
		provider.detach();
		if (!retryable(reason) || timer) return;
		timer = setTimeout(() => {
			timer = null;
			provider.attach();
		}, retryMs * (1 + Math.random() / 2));
	});
	provider.on('synced', () => {
		if (refusal === null || !retryable(refusal)) return;
		refusal = null;
		listener.cleared();
	});
	provider.on('destroy', () => {
		if (timer) clearTimeout(timer);
		listener.cleared();
	});
}
