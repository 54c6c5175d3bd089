/**
 * `npm run fuzz -- --server [--seconds 60] [--seed N] [--clients N] [--steps N]`: convergence
 * rounds through one real server (server-convergence.ts), fresh seeds until the time is up or
 * one seed replayed. Prints every failure with its seed; returns the exit code.
 */
import { startServer } from '../helpers/server.ts';
import { randomSeed } from './rng.ts';
import { runServerConvergence } from './server-convergence.ts';

export async function runServerFuzz(values: { seconds?: string; seed?: string; clients?: string; steps?: string; verbose?: boolean }): Promise<number> {
	const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
	const server = await startServer({ env: { LOG_LEVEL: 'error', SNAPSHOT_EVERY: '20' } });
	const deadline = Date.now() + Number(values.seconds ?? 60) * 1000;
	const totals = { rounds: 0, ops: 0, offline: 0, restarts: 0 };
	const failures: string[] = [];
	const seeds: number[] = [];
	try {
		do {
			const seed = values.seed !== undefined ? Number(values.seed) : randomSeed();
			seeds.push(seed);
			try {
				const r = await runServerConvergence({ seed, server, clients: num(values.clients), steps: num(values.steps) });
				totals.rounds++;
				totals.ops += r.ops;
				totals.offline += r.offline;
				totals.restarts += r.restarted ? 1 : 0;
				if (values.verbose) console.log(JSON.stringify(r));
			} catch (e) {
				failures.push((e as Error).message);
				console.error(`FAIL ${(e as Error).message}`);
			}
		} while (values.seed === undefined && Date.now() < deadline);
	} finally {
		await server.stop();
	}
	console.log(`seeds tried: ${seeds.length > 20 ? `${seeds.slice(0, 20).join(', ')}, … (${seeds.length} in all)` : seeds.join(', ')}`);
	console.log(
		`${totals.rounds} rounds through the server, ${totals.ops} operations, ${totals.offline} tablets taken offline, ${totals.restarts} SIGKILL restarts`
	);
	console.log(`${failures.length} failures`);
	return failures.length > 0 ? 1 : 0;
}
