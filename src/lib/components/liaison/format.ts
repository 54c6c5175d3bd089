/** Dates and messages as the liaison pages show them. */
import { DomainError } from '$lib/domain';
import { i18n, t, type MessageKey } from '$lib/i18n/index.svelte.ts';

/** A calendar date in the current locale, e.g. 2026/11/23. */
export function formatDate(iso: string | null): string {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(i18n.locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** The user-facing message of an error thrown by a domain mutation. */
export function errorMessage(e: unknown): string {
	if (e instanceof DomainError) {
		const key = `error.${e.code}` as MessageKey;
		const text = t(key);
		return text === key ? t('error.generic', { message: e.message }) : text;
	}
	return t('error.generic', { message: String(e) });
}

/** Runs a mutation; returns null on success or the message to show. */
export function attempt(fn: () => void): string | null {
	try {
		fn();
		return null;
	} catch (e) {
		return errorMessage(e);
	}
}
