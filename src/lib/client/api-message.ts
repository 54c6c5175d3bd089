/**
 * The user's words for a failed API call: the server answers with a code (`error`) and, for a
 * bad form, the field and what is wrong with it; the English `message` is for logs only.
 */
import { t, type MessageKey } from '$lib/i18n/index.svelte.ts';

export interface ApiErrorLike {
	status?: number;
	error: string;
	field?: string;
	issue?: string;
}

/** The translation of `key`, or null when there is none. */
function known(key: string, params?: Record<string, string>): string | null {
	const text = t(key as MessageKey, params);
	return text === key ? null : text;
}

export function apiErrorMessage(e: ApiErrorLike): string {
	if (e.error === 'invalidBody' && e.field && e.issue) {
		const field = known(`field.${e.field}`) ?? t('field.body');
		const text = known(`error.${e.issue}`, { field });
		if (text) return text;
	}
	if (e.issue) {
		const text = known(`error.${e.error}.${e.issue}`);
		if (text) return text;
	}
	return known(`error.${e.error}`) ?? (e.status === 0 ? t('error.offline') : t('error.server'));
}
