/**
 * `npm run dev`: Vite's dev server gets the same core as `node server/main.ts` (store, demo
 * data, Hocuspocus, services registry) and the same `/collab` WebSocket wiring on its own
 * port, so the app under development syncs exactly as in production. Vite's HMR socket is left
 * alone (it answers only its own `vite-hmr` protocol); other upgrades are not ours to refuse.
 * Only for `vite dev` (`apply: 'serve'`); builds never load the server.
 */
import type { Plugin } from 'vite';

export function tongxinDevServer(): Plugin {
	return {
		name: 'tongxin:dev-server',
		apply: 'serve',
		async configureServer(vite) {
			const http = vite.httpServer;
			if (!http) return; // middleware mode: the embedding server wires /collab itself
			const { loadConfig } = await import('../config.ts');
			const { startCore } = await import('../core.ts');
			const { createCollabUpgrade, isCollabPath } = await import('../http-server.ts');
			const config = loadConfig();
			const core = await startCore(config);
			const collab = createCollabUpgrade(core.collab.hocuspocus, config.MAX_MESSAGE_BYTES, undefined, (socket, frame) => core.collab.presence.admitFrame(socket, frame));
			http.on('upgrade', (request, socket, head) => {
				if (isCollabPath(request.url)) collab.handleUpgrade(request, socket, head);
			});
			http.on('close', () => {
				collab.closeAll();
				void core.collab.persistence.flushAll().then(() => core.store.close());
			});
			console.log(`Tongxin dev: WebSocket /collab on the dev server's port, data ${config.DATA_DIR}`);
		}
	};
}
