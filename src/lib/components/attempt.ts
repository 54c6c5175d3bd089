/** Running a domain mutation from the UI and turning its error into the message to show. */
import { DomainError } from '$lib/domain';
import { t, type MessageKey } from '$lib/i18n/index.svelte.ts';

/**
 * The user-facing message of an error thrown by a domain mutation: the translation of its code,
 * never the English message meant for developers (that goes to the console).
 */
export function errorMessage(e: unknown): string {
	if (e instanceof DomainError) {
		const key = `error.${e.code}` as MessageKey;
		const text = t(key);
		if (text !== key) return text;
	}
	console.error(e);
	return t('error.unexpected');
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
