/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * The app shell on the device, so the app opens with no network.
 *
 * - Build output and static files are precached per version and served cache-first.
 * - Every page of the app renders in the browser (ssr = false), so every navigation answers
 *   the same shell HTML. Navigations go to the network first; the latest shell is kept, and
 *   with no network any navigation gets the kept shell, whose router then opens the route and
 *   reads the data from IndexedDB.
 * - /api and /collab always go to the network.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `tongxin-${version}`;
const SHELL = '/__shell';
const ASSETS = new Set([...build, ...files]);

/**
 * The shell as kept in the cache: a plain copy (a navigation cannot be answered by a
 * redirected response), marked so that a test or a curious user can tell it came from here.
 */
async function shellCopy(res: Response): Promise<Response> {
	const headers = new Headers(res.headers);
	headers.set('x-tongxin-shell', 'cache');
	return new Response(await res.blob(), { status: 200, headers });
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll([...ASSETS]);
			const shell = await fetch('/login', { credentials: 'same-origin' });
			if (shell.ok) await cache.put(SHELL, await shellCopy(shell));
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/**
 * `clients.claim()` in activate skips a page that is still loading at that moment (a full
 * navigation that started while the worker installed), and such a page would otherwise stay
 * uncontrolled until its next load. The page asks again once it runs (service-worker-registration.ts).
 */
sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === 'claim') event.waitUntil(sw.clients.claim());
});

/** How long a navigation waits for the network before the kept shell answers (weak signal). */
const NETWORK_WAIT_MS = 4000;

async function navigate(request: Request): Promise<Response> {
	const cache = await caches.open(CACHE);
	const network = fetch(request).then(async (res) => {
		const html = res.headers.get('content-type')?.includes('text/html');
		if (res.ok && html) await cache.put(SHELL, await shellCopy(res.clone()));
		return res;
	});
	network.catch(() => undefined); // answered by the fallback instead
	const fallback = async () => (await cache.match(SHELL)) ?? Promise.reject(new Error('no shell kept'));
	const slow = new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), NETWORK_WAIT_MS));
	try {
		const first = await Promise.race([network, slow]);
		if (first !== 'slow') return first;
		return await fallback().catch(() => network);
	} catch {
		return fallback().catch(() => new Response('offline', { status: 503, headers: { 'content-type': 'text/plain' } }));
	}
}

async function asset(request: Request, path: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	const hit = await cache.match(path);
	if (hit) return hit;
	return fetch(request);
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/collab')) return;
	if (request.mode === 'navigate') {
		event.respondWith(navigate(request));
		return;
	}
	if (ASSETS.has(url.pathname)) event.respondWith(asset(request, url.pathname));
});
