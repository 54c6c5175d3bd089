/**
 * Whether the browser may delete this device's data under storage pressure. Without
 * persistent storage a browser can evict IndexedDB, and with it edits not yet on the server,
 * so the app asks for it (navigator.storage.persist(): granted at once to an installed app,
 * or by the browser's own judgement) and shows the answer and the space used.
 */
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

/** Bytes as people read them: 1.2 MB. */
export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let v = n / 1024;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
