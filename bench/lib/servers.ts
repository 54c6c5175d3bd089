/**
 * The two servers the benchmarks compare, each started as its own child process:
 * - ours: server/main.ts (Node 24) on a temporary DATA_DIR, with a bench street, community
 *   and grids written into its SQLite store beforehand, and a real session token for a bench
 *   admin (made through the same session code the login uses);
 * - the reference: @y/websocket-server 0.1.1's own bin (y-websocket protocol, in memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteAsyncStore } from '../../server/store/sqlite-async-store.ts';
import { SqliteStore } from '../../server/store/sqlite-store.ts';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session.ts';
import { freePort } from './proc.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningServer {
	name: 'ours' | 'reference' | 'hocuspocus';
	pid: number;
	/** WebSocket URL the clients connect to (ours: …/collab; reference: the base URL). */
	wsUrl: string;
	/** HTTP base URL (ours only is meaningful). */
	httpUrl: string;
	token: string | null;
	dataDir: string | null;
	/** Last lines the server printed, for error reports. */
	output(): string;
	stop(): Promise<void>;
}

export const benchGridIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `bench${i + 1}`);

/** Writes the bench jurisdiction and user into a fresh store; returns a session token. */
async function prepareStore(dataDir: string, grids: number): Promise<string> {
	const store = new SqliteStore(join(dataDir, 'tongxin.sqlite'));
	try {
		store.upsertPlace({ id: 'benchStreet', level: 'street', parentId: null, name: '基准街道' });
		store.upsertPlace({ id: 'benchCommunity', level: 'community', parentId: 'benchStreet', name: '基准社区' });
		for (const id of benchGridIds(grids)) store.upsertPlace({ id, level: 'grid', parentId: 'benchCommunity', name: id });
		// No password: the bench never logs in by password, it holds a session made here.
		store.createUser({ id: 'bench-admin', username: 'bench-admin', displayName: 'Bench', passwordHash: '!' });
		store.addMembership('bench-admin', { role: 'admin', level: 'street', placeId: 'benchStreet' });
		const token = generateSessionToken();
		await createSession(new SqliteAsyncStore(store), token, 'bench-admin');
		return token;
	} finally {
		store.close();
	}
}

function track(child: ChildProcess): () => string {
	const lines: string[] = [];
	const keep = (chunk: Buffer) => {
		lines.push(...chunk.toString().split('\n').filter(Boolean));
		if (lines.length > 50) lines.splice(0, lines.length - 50);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	return () => lines.join('\n');
}

function waitForLine(child: ChildProcess, re: RegExp, output: () => string, timeoutMs = 30_000): Promise<RegExpMatchArray> {
	return new Promise((resolvePromise, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output()}`)), timeoutMs);
		const onData = (chunk: Buffer) => {
			const m = re.exec(chunk.toString());
			if (m) {
				clearTimeout(timer);
				child.stdout?.off('data', onData);
				resolvePromise(m);
			}
		};
		child.stdout?.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before listening:\n${output()}`));
		});
	});
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
	return async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		cleanup();
	};
}

/** Colleagues may be rebuilding `build/` (vite empties it first): wait for it to come back. */
async function waitForBuild(timeoutMs = 180_000): Promise<void> {
	const handler = join(ROOT, 'build/handler.js');
	const end = Date.now() + timeoutMs;
	while (!existsSync(handler)) {
		if (Date.now() > end) throw new Error('no build/handler.js: run `npx vite build` first');
		await new Promise((r) => setTimeout(r, 1000));
	}
	// A build that just reappeared may still be writing its chunks.
	await new Promise((r) => setTimeout(r, 3000));
}

/** `demo`: the demo street and accounts instead of the bench's (log in with DEMO_PASSWORD; no token). */
export async function startOurs(options: { grids: number; env?: Record<string, string>; nodeArgs?: string[]; demo?: boolean }): Promise<RunningServer> {
	if (!existsSync(join(ROOT, 'build/handler.js'))) await waitForBuild();
	const dataDir = mkdtempSync(join(tmpdir(), 'tongxin-bench-'));
	const token = options.demo ? null : await prepareStore(dataDir, options.grids);
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'server/main.ts'], {
		cwd: ROOT,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: options.demo ? '1' : '0', LOG_LEVEL: 'warn', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = track(child);
	const m = await waitForLine(child, /listening on http:\/\/[^:]+:(\d+)/, output);
	const port = Number(m[1]);
	return {
		name: 'ours',
		pid: child.pid!,
		wsUrl: `ws://127.0.0.1:${port}/collab`,
		httpUrl: `http://127.0.0.1:${port}`,
		token,
		dataDir,
		output,
		stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true }))
	};
}

export async function startReference(options: { nodeArgs?: string[] } = {}): Promise<RunningServer> {
	const port = await freePort();
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = track(child);
	await waitForLine(child, /running at/, output);
	return {
		name: 'reference',
		pid: child.pid!,
		wsUrl: `ws://127.0.0.1:${port}`,
		httpUrl: `http://127.0.0.1:${port}`,
		token: null,
		dataDir: null,
		output,
		stop: stopper(child, () => {})
	};
}

/** Plain Hocuspocus 4 in memory (bench/lib/plain-hocuspocus.ts): the same protocol as ours, none of our extensions. */
export async function startPlainHocuspocus(options: { nodeArgs?: string[] } = {}): Promise<RunningServer> {
	const port = await freePort();
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(ROOT, 'bench/lib/plain-hocuspocus.ts')], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output = track(child);
	await waitForLine(child, /plain hocuspocus running/, output);
	return {
		name: 'hocuspocus',
		pid: child.pid!,
		wsUrl: `ws://127.0.0.1:${port}`,
		httpUrl: `http://127.0.0.1:${port}`,
		token: 'none',
		dataDir: null,
		output,
		stop: stopper(child, () => {})
	};
}
