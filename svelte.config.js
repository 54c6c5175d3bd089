import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// registered by src/lib/client/service-worker-registration.ts, which also checks for updates
		serviceWorker: { register: false },
		// absolute asset paths: the cached app shell is served for every route when offline
		paths: { relative: false },
		// Content-Security-Policy (issue 14): scripts only from this origin, SvelteKit's own inline
		// start script by nonce/hash. MapLibre starts its workers from blob: URLs; Svelte and
		// MapLibre set inline styles, so style-src allows them (styles cannot run code). connect-src
		// 'self' covers the same-origin /collab WebSocket.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
