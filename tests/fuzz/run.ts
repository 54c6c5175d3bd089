/**
 * `npm run fuzz -- [--seconds 600] [--seed N] [--kind grid] [--clients N] [--steps N] [--server]`
 *
 * `--server` runs the rounds through a real Tongxin server instead (server-convergence.ts:
 * real providers, the server's rules and SQLite log, a SIGKILL and restart per round); it
 * needs `build/` (`npx vite build`).
 *
 * Runs convergence rounds with fresh random seeds until the time is up (default 60 s), or
 * replays one seed. Prints the seeds tried, the operations and deliveries exercised, and every
 * failure with the seed that reproduces it. Exits 1 if any round failed.
 */
import { parseArgs } from 'node:util';
import { runConvergence, type ConvergenceResult } from './convergence.ts';
import { FUZZ_KINDS } from './kinds.ts';
import { randomSeed } from './rng.ts';

const { values } = parseArgs({
	options: {
		seconds: { type: 'string', default: '60' },
		seed: { type: 'string' },
		kind: { type: 'string' },
		clients: { type: 'string' },
		steps: { type: 'string' },
		verbose: { type: 'boolean', default: false },
		server: { type: 'boolean', default: false }
	}
});

if (values.server) {
	const { runServerFuzz } = await import('./server-run.ts');
	process.exit(await runServerFuzz(values));
}

const kinds = values.kind ? FUZZ_KINDS.filter((k) => k.name === values.kind) : FUZZ_KINDS;
if (kinds.length === 0) {
	console.error(`unknown kind ${values.kind}; known: ${FUZZ_KINDS.map((k) => k.name).join(', ')}`);
	process.exit(2);
}
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const deadline = Date.now() + Number(values.seconds) * 1000;
const totals = { rounds: 0, ops: 0, refused: 0, delivered: 0, disconnects: 0, handshakes: 0 };
const failures: string[] = [];
const seeds: number[] = [];
let lastReport = Date.now();

function record(r: ConvergenceResult): void {
	totals.rounds++;
	totals.ops += r.ops;
	totals.refused += r.refused;
	totals.delivered += r.delivered;
	totals.disconnects += r.disconnects;
	totals.handshakes += r.handshakes;
	if (values.verbose) console.log(JSON.stringify(r));
}

do {
	const seed = values.seed !== undefined ? Number(values.seed) : randomSeed();
	seeds.push(seed);
	for (const kind of kinds) {
		try {
			record(runConvergence({ seed, kind, clients: num(values.clients), steps: num(values.steps) }));
		} catch (e) {
			failures.push((e as Error).message);
			console.error(`FAIL ${(e as Error).message}`);
		}
	}
	if (Date.now() - lastReport > 10_000) {
		lastReport = Date.now();
		console.log(`… ${totals.rounds} rounds, ${totals.ops} ops, ${failures.length} failures`);
	}
} while (values.seed === undefined && Date.now() < deadline);

const shown = seeds.length > 20 ? `${seeds.slice(0, 20).join(', ')}, … (${seeds.length} in all)` : seeds.join(', ');
console.log(`seeds tried: ${shown}`);
console.log(
	`${totals.rounds} rounds (${kinds.map((k) => k.name).join(', ')}), ${totals.ops} operations (${totals.refused} invalid ones refused), ` +
		`${totals.delivered} messages delivered in random order, ${totals.disconnects} disconnects, ${totals.handshakes} sync handshakes`
);
console.log(`${failures.length} failures`);
process.exit(failures.length > 0 ? 1 : 0);
