/**
 * The convergence fuzzer through the real server (tests/fuzz/server-convergence.ts): real
 * providers of real users, random offline periods, the server's rules and its SQLite log, a
 * SIGKILL and restart at the end. Short here; `npm run fuzz -- --server --seconds 300` runs
 * rounds with fresh seeds for as long as asked. A failure names its seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerConvergence } from '../fuzz/server-convergence.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
	server = await startServer({ env: { LOG_LEVEL: 'error', SNAPSHOT_EVERY: '20' } });
});
afterAll(async () => {
	await server?.stop();
});

describe('grid documents converge through the real server', () => {
	it.each([20261130])('seed %i: every tablet, a fresh tablet and one after a SIGKILL and restart agree', async (seed) => {
		const result = await runServerConvergence({ seed, server, clients: 4, steps: 120 });
		expect(result.ops).toBeGreaterThan(50);
		expect(result.offline).toBeGreaterThan(0);
		expect(result.restarted).toBe(true);
	});
});
