/** Dates as the liaison pages show them. */
import { i18n } from '$lib/i18n/index.svelte.ts';

/** A calendar date in the current locale, e.g. 2026/11/23. */
export function formatDate(iso: string | null): string {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(i18n.locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
}
