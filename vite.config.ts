import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { tongxinDevServer } from './server/dev/vite-plugin.ts';

export default defineConfig({
	// The dev server also serves /collab (Hocuspocus) and the server's services, as in production.
	plugins: [sveltekit(), tongxinDevServer()]
});
