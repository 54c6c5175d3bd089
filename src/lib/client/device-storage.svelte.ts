/**
 * Whether the browser may delete this device's data under storage pressure. Without
 * persistent storage a browser can evict IndexedDB, and with it edits not yet on the server,
 * so the app asks for it (navigator.storage.persist(): granted at once to an installed app,
 * or by the browser's own judgement) and shows the answer and the space used.
 */
import { i18n } from '$lib/i18n/index.svelte.ts';

class DeviceStorage {
	/** null until known, or when the browser cannot say. */
	persisted = $state<boolean | null>(null);
	usage = $state<number | null>(null);
	quota = $state<number | null>(null);
	supported = typeof navigator !== 'undefined' && !!navigator.storage?.persisted;

	async refresh(): Promise<void> {
		if (!this.supported) return;
		this.persisted = await navigator.storage.persisted().catch(() => null);
		const estimate = await navigator.storage.estimate?.().catch(() => null);
		this.usage = estimate?.usage ?? null;
		this.quota = estimate?.quota ?? null;
	}

	/** Asks the browser to keep this device's data (once per start is enough; it remembers). */
	async ask(): Promise<boolean | null> {
		if (!this.supported || !navigator.storage.persist) return null;
		this.persisted = await navigator.storage.persist().catch(() => this.persisted);
		await this.refresh();
		return this.persisted;
	}
}

export const deviceStorage = new DeviceStorage();

/** Bytes as people read them in their language: 3.2兆字节, 3.2 MB. */
export function formatBytes(n: number): string {
	const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
	let v = n;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return new Intl.NumberFormat(i18n.locale, {
		style: 'unit',
		unit: units[u],
		unitDisplay: i18n.locale === 'zh-CN' ? 'long' : 'short',
		maximumFractionDigits: v < 10 ? 1 : 0
	}).format(v);
}
