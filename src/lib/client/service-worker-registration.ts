/**
 * Registers the service worker that keeps the app shell on the device, and asks it to check
 * for a new version after navigations so a tablet picks up a new release.
 */
let registration: ServiceWorkerRegistration | null = null;

export function registerServiceWorker(): void {
	if (!('serviceWorker' in navigator)) return;
	navigator.serviceWorker
		.register('/service-worker.js', { type: import.meta.env.DEV ? 'module' : 'classic' })
		.then((r) => (registration = r))
		.catch((e) => console.error('service worker registration failed', e));
	// The worker claims open pages when it activates, but not a page that was still loading
	// then; once active, it is asked again so this page is controlled without a reload.
	navigator.serviceWorker.ready
		.then((r) => {
			if (!navigator.serviceWorker.controller) r.active?.postMessage({ type: 'claim' });
		})
		.catch(() => undefined);
}

export function checkForUpdate(): void {
	if (registration && navigator.onLine) registration.update().catch(() => undefined);
}
