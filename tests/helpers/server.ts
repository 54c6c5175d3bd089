/**
 * A real Tongxin server for tests: `node server/main.ts` (Node 24) as a child process on a
 * free port with a temporary DATA_DIR. Expects `build/` (npm test builds first; when
 * iterating run `npx vite build`).
 *
 *   const server = await startServer();
 *   const token = await server.login('demo-gridworker');
 *   new HocuspocusProvider({ url: server.wsUrl, name: 'grid:g1', token, … });
 *   await server.kill();      // SIGKILL by default; then
 *   await server.restart();   // same port, same DATA_DIR
 *   await server.stop();      // SIGTERM, waits, removes the temporary DATA_DIR
 *
 * Set TONGXIN_TEST_LOG=1 to see the server's output as it runs. Set TEST_STORE=pg to run the
 * server on PostgreSQL instead of SQLite: each server gets a new temporary database on the
 * local PostgreSQL (server/store/pg-test-database.ts), kept across kill and restart and
 * dropped by `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prettyLine } from '../../server/log.ts';
import { createTempDatabase, type TempDatabase } from '../../server/store/pg-test-database.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LISTENING = /listening on http:\/\/[^\s:]+:(\d+)/;
const START_TIMEOUT_MS = 30_000;
export const DEMO_PASSWORD = 'tongxin-demo';

export interface StartOptions {
	dataDir?: string;
	/** Where the server keeps its data: SQLite in DATA_DIR, or a new PostgreSQL database (default: TEST_STORE, else sqlite). */
	store?: 'sqlite' | 'pg';
	/** An existing PostgreSQL database to run on (made and dropped by the caller). */
	databaseUrl?: string;
	env?: Record<string, string>;
}

export interface TestServer {
	url: string;
	wsUrl: string;
	port: number;
	/** The server process's id (for its memory in /proc). */
	pid: number;
	dataDir: string;
	/** The PostgreSQL database the server uses, when it runs on PostgreSQL. */
	databaseUrl: string | null;
	/** Logs in through POST /api/session and returns the session token. */
	login(username: string, password?: string): Promise<string>;
	/** Sends `signal` (SIGKILL by default) and waits for the process to exit. */
	kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Starts the server again on the same port and DATA_DIR (after kill or stop). */
	restart(): Promise<void>;
	/** SIGTERM, wait for exit, remove the DATA_DIR if the helper created it. */
	stop(): Promise<void>;
	/**
	 * Everything the server printed (stdout and stderr) since it was (re)started, its JSON log
	 * lines rendered for a person (`<time> <LEVEL> <event> key=value …`, server/log.ts).
	 */
	output(): string;
	/** The same, as printed: log records as JSON lines. */
	rawOutput(): string;
	/** Waits until the output contains `pattern`. */
	waitForOutput(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
}

function node24(): string {
	if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
	const local = join(ROOT, 'node_modules/.bin/node');
	if (existsSync(local)) return local;
	throw new Error('Node 24 is required (npm install provides it as node_modules/.bin/node)');
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
	if (!existsSync(join(ROOT, 'build/handler.js'))) {
		throw new Error('No build/handler.js: run `npx vite build` first (npm test does).');
	}
	const ownsDir = !options.dataDir;
	const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tongxin-test-'));
	const onPg = !options.databaseUrl && (options.store ?? (process.env.TEST_STORE === 'pg' ? 'pg' : 'sqlite')) === 'pg';
	const database: TempDatabase | null = onPg ? await createTempDatabase() : null;
	const databaseUrl = options.databaseUrl ?? database?.url ?? null;
	// the server's store is the one chosen here, whatever DATABASE_URL the test runner has
	const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
	let port = 0;
	let child: ChildProcess | null = null;
	let out = '';
	let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: 0, signal: null });

	const launch = () =>
		new Promise<void>((resolveStart, rejectStart) => {
			out = '';
			const proc = spawn(node24(), ['server/main.ts'], {
				cwd: ROOT,
				env: {
					...parentEnv,
					...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
					HOST: '127.0.0.1',
					DEMO: '1',
					...options.env,
					PORT: String(port),
					DATA_DIR: dataDir
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child = proc;
			const timer = setTimeout(() => {
				proc.kill('SIGKILL');
				rejectStart(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
			}, START_TIMEOUT_MS);
			const onData = (chunk: Buffer) => {
				const text = chunk.toString();
				out += text;
				if (process.env.TONGXIN_TEST_LOG) process.stderr.write(text);
				const m = LISTENING.exec(out);
				if (m && port === 0) port = Number(m[1]);
				if (m) {
					clearTimeout(timer);
					resolveStart();
				}
			};
			proc.stdout!.on('data', onData);
			proc.stderr!.on('data', onData);
			exited = new Promise((resolveExit) => {
				proc.once('exit', (code, signal) => {
					clearTimeout(timer);
					rejectStart(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${out}`));
					resolveExit({ code, signal });
				});
			});
		});

	const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
		const proc = child as ChildProcess | null;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return exited;
		proc.kill(signal);
		return exited;
	};
	process.once('exit', () => (child as ChildProcess | null)?.kill('SIGKILL'));

	// Rendered again only when the output grew (tests poll it).
	let rendered = { raw: '', text: '' };
	const pretty = () => {
		if (rendered.raw !== out) rendered = { raw: out, text: out.split('\n').map(prettyLine).join('\n') };
		return rendered.text;
	};

	try {
		await launch();
	} catch (e) {
		await database?.drop();
		throw e;
	}
	const server: TestServer = {
		get url() {
			return `http://127.0.0.1:${port}`;
		},
		get wsUrl() {
			return `ws://127.0.0.1:${port}/collab`;
		},
		get port() {
			return port;
		},
		get pid() {
			return (child as ChildProcess | null)?.pid ?? 0;
		},
		dataDir,
		databaseUrl,
		async login(username, password = DEMO_PASSWORD) {
			const res = await fetch(`${server.url}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username, password })
			});
			if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
			return ((await res.json()) as { token: string }).token;
		},
		kill,
		async restart() {
			// Another process may have taken the port meanwhile (ephemeral ports are shared with
			// outgoing connections): retry, then fall back to a new port.
			for (let attempt = 0; ; attempt++) {
				try {
					return await launch();
				} catch (e) {
					if (!/EADDRINUSE/.test(out) || attempt >= 5) throw e;
					await new Promise((r) => setTimeout(r, 200));
					if (attempt === 4) port = 0;
				}
			}
		},
		async stop() {
			const stopped = kill('SIGTERM');
			const timeout = setTimeout(() => void kill('SIGKILL'), 10_000);
			await stopped;
			clearTimeout(timeout);
			if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
			await database?.drop();
		},
		output: pretty,
		rawOutput: () => out,
		async waitForOutput(pattern, timeoutMs = 10_000) {
			const test = (s: string) => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
			const start = Date.now();
			while (!test(pretty())) {
				if (Date.now() - start > timeoutMs) throw new Error(`no ${pattern} in server output within ${timeoutMs} ms:\n${pretty()}`);
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	};
	return server;
}
