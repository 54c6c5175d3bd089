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
		paths: { relative: false }
	}
};

export default config;
