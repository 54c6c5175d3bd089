// `npm test`: every test, in order unit → integration → e2e, against a fresh build.
// The browser tests need Chromium; they are never skipped: without one this stops and says
// how to get it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
	console.error(
		`No Chromium at ${chromium}.\n` +
			'The end-to-end tests drive a real Chromium. On Debian: apt-get update && apt-get install -y chromium\n' +
			'or set CHROMIUM_PATH to a Chromium or Chrome binary.'
	);
	process.exit(1);
}

function run(cmd, args) {
	const r = spawnSync(cmd, args, {
		stdio: 'inherit',
		env: { ...process.env, CHROMIUM_PATH: chromium }
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
