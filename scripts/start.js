// `npm start`: build the app if this checkout has no build yet (or sources are newer), then
// start the server on its embedded defaults.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
	let t = 0;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

const built = 'build/handler.js';
const stale =
	!existsSync(built) ||
	Math.max(newest('src'), newest('static'), statSync('svelte.config.js').mtimeMs) > statSync(built).mtimeMs;
if (stale) {
	console.log('Building the app (first start or changed sources)…');
	const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, ['server/main.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 0);
