/**
 * A tiny runes-based translator. zh-CN is the default; the choice is kept in localStorage.
 * `t(key, params)` reads the reactive locale, so every template using it re-renders on a switch.
 */
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';
import { accessZhCN } from './access.zh-CN.ts';
import { accessEn } from './access.en.ts';
import { quotaZhCN } from './quota.zh-CN.ts';
import { quotaEn } from './quota.en.ts';
import { feedbackZhCN } from './feedback.zh-CN.ts';
import { feedbackEn } from './feedback.en.ts';

export type MessageKey = keyof typeof zhCN | keyof typeof accessZhCN | keyof typeof quotaZhCN | keyof typeof feedbackZhCN;
/** The main dictionary's shape (en.ts); the access strings have their own pair of files. */
export type Dictionary = Record<keyof typeof zhCN, string>;
export type Locale = 'zh-CN' | 'en';

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = {
	'zh-CN': { ...zhCN, ...accessZhCN, ...quotaZhCN, ...feedbackZhCN },
	en: { ...en, ...accessEn, ...quotaEn, ...feedbackEn }
};
const STORAGE_KEY = 'tongxin.locale';

function initialLocale(): Locale {
	if (typeof localStorage === 'undefined') return 'zh-CN';
	return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

class I18n {
	locale = $state<Locale>(initialLocale());

	set(locale: Locale): void {
		this.locale = locale;
		if (typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, locale);
		if (typeof document !== 'undefined') document.documentElement.lang = locale;
	}

	toggle(): void {
		this.set(this.locale === 'zh-CN' ? 'en' : 'zh-CN');
	}
}

export const i18n = new I18n();

export function t(key: MessageKey, params?: Record<string, string | number>): string {
	let text: string = DICTIONARIES[i18n.locale][key] ?? key;
	if (params) for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
	return text;
}

/** Formats an ISO timestamp for the current locale. */
export function formatTime(iso: string): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	return d.toLocaleString(i18n.locale, { dateStyle: 'short', timeStyle: 'short' });
}
