// `npm start`: build the app if this checkout has no build yet (or its sources are newer), then
// run the server in this same process, so that SIGTERM/SIGINT reach it directly and it can
// shut down gracefully (no child process in between).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// Node 24 runs the TypeScript server directly. Started by an older `node`, hand over to the
// pinned one (npm scripts already put it first on PATH).
if (Number(process.versions.node.split('.')[0]) < 24) {
	const pinned = join(root, 'node_modules/.bin/node');
	if (!existsSync(pinned)) {
		console.error(`Node ${process.versions.node} is too old: Tongxin needs Node 24. Run \`npm install\` first (it pins Node 24).`);
		process.exit(1);
	}
	const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
	process.exit(r.status ?? 1);
}

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let t = 0;
	for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
	return t;
}

const built = 'build/handler.js';
const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const stale = !existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
if (stale) {
	console.log('Building the app (first start or changed sources)…');
	const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

await import(pathToFileURL(join(root, 'server/main.ts')).href);
