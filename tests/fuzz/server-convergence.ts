/**
 * Convergence through the real server: the same random named mutations as the in-memory
 * fuzzer (grid and liaison operations on one grid document), made by real HocuspocusProviders
 * of real users over real WebSockets to a running Tongxin server, with its access rules, its
 * extensions and its SQLite log, while tablets go offline and come back at random.
 *
 * One round: the admin API creates a fresh grid (its name written by a server-side edit);
 * `clients` tablets of two users (committee member and admin, a user may hold two tablets)
 * open it; `steps` random steps (an operation on a random tablet, a tablet going offline or
 * back, a pause letting messages flow). At the end every tablet comes back and the server
 * acknowledges everything; then every tablet, a fresh tablet loading from the server, and a
 * fresh tablet after the server was killed (SIGKILL) and restarted from its log must hold
 * the same content, reader answers and state vector.
 *
 * The seed fixes the operations, the tablets' client ids and the schedule; the network's own
 * timing is not seeded, so a seed replays the same work, not necessarily the same interleaving.
 * Every failure names its seed.
 */
import * as Y from 'yjs';
import { call } from '../helpers/access.ts';
import { type Client, connect, waitFor } from '../helpers/collab.ts';
import type { TestServer } from '../helpers/server.ts';
import { canonicalJson } from './canonical.ts';
import { type FuzzDocKind, rootsJson } from './doc-kind.ts';
import { gridKind } from './grid-kind.ts';
import { liaisonKind } from './liaison-kind.ts';
import { Rng } from './rng.ts';

/** Grid and liaison operations on one grid document; the meta is the admin API's (setGridMeta left out). */
const { setGridMeta: _adminOnly, ...gridOps } = gridKind.ops;
export const serverGridKind: FuzzDocKind = {
	name: 'grid+liaison through the server',
	roots: { ...gridKind.roots, ...liaisonKind.roots },
	ops: { ...gridOps, ...liaisonKind.ops },
	read: (doc) => ({ grid: gridKind.read(doc), liaison: liaisonKind.read(doc) }),
	checkInvariants(doc) {
		gridKind.checkInvariants(doc);
		liaisonKind.checkInvariants(doc);
	}
};

/** The demo users who may write a new grid of community c1, and the ids their edits carry. */
const WRITERS = [
	{ username: 'demo-committee', id: 'u-demo-committee' },
	{ username: 'demo-admin', id: 'u-demo-admin' }
];

export interface ServerFuzzOptions {
	seed: number;
	server: TestServer;
	clients?: number;
	steps?: number;
	/** Kill and restart the server at the end and compare a tablet loading from its log (default true). */
	restart?: boolean;
}

export interface ServerFuzzResult {
	seed: number;
	clients: number;
	ops: number;
	refused: number;
	offline: number;
	restarted: boolean;
}

export class ServerConvergenceError extends Error {
	constructor(seed: number, message: string) {
		super(`[seed ${seed}, through the server] ${message} — replay with: npm run fuzz -- --server --seed ${seed}`);
		this.name = 'ServerConvergenceError';
	}
}

function comparable(doc: Y.Doc): { roots: string; readers: string; stateVector: string } {
	const sv = Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([k, v]) => [String(k), v]));
	return { roots: canonicalJson(rootsJson(serverGridKind, doc)), readers: canonicalJson(serverGridKind.read(doc)), stateVector: canonicalJson(sv) };
}

function firstDifference(a: string, b: string): string {
	let i = 0;
	while (i < a.length && a[i] === b[i]) i++;
	return `at character ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

const settled = (c: Client) => c.provider.isSynced && c.provider.unsyncedChanges === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runServerConvergence(options: ServerFuzzOptions): Promise<ServerFuzzResult> {
	const { seed, server } = options;
	const rng = new Rng(seed);
	const clientCount = options.clients ?? rng.int(2, 5);
	const steps = options.steps ?? rng.int(50, 300);
	const fail = (message: string): never => {
		throw new ServerConvergenceError(seed, message);
	};
	const tokens = new Map<string, string>();
	for (const w of WRITERS) tokens.set(w.username, await server.login(w.username));
	const admin = tokens.get('demo-admin')!;

	const gridId = `fz${seed.toString(36)}${rng.int(0, 1e6).toString(36)}`;
	const created = await call(server, admin, 'POST', '/api/admin/places', { level: 'grid', id: gridId, name: `模糊测试${seed}`, parentId: 'c1' });
	if (created.status !== 201) fail(`creating grid ${gridId}: ${created.status} ${JSON.stringify(created.body)}`);
	const name = `grid:${gridId}`;

	const open = (user: (typeof WRITERS)[number]): Client => {
		const doc = new Y.Doc();
		doc.clientID = rng.uint32();
		return connect(server.wsUrl, name, tokens.get(user.username)!, doc);
	};
	const tablets = Array.from({ length: clientCount }, (_, i) => ({ user: WRITERS[i % WRITERS.length], client: null as Client | null, online: true }));
	const all: Client[] = [];
	let ops = 0;
	let refused = 0;
	let offline = 0;
	let restarted = false;
	try {
		for (const t of tablets) all.push((t.client = open(t.user)));
		await waitFor(() => all.every(settled), `[seed ${seed}] every tablet to sync`, 30_000);
		const opNames = Object.keys(serverGridKind.ops);
		const weights = Object.fromEntries(opNames.map((n) => [n, serverGridKind.ops[n].weight]));

		for (let step = 0; step < steps; step++) {
			const roll = rng.int(0, 99);
			const t = rng.pick(tablets);
			if (roll < 70) {
				const op = rng.weighted(weights);
				try {
					if (serverGridKind.ops[op].run(t.client!.doc, rng, t.user.id) === 'refused') refused++;
				} catch (e) {
					fail(`step ${step}: ${op} on tablet ${tablets.indexOf(t)} threw: ${(e as Error).stack ?? e}`);
				}
				ops++;
			} else if (roll < 78 && t.online) {
				t.client!.socket.disconnect();
				t.online = false;
				offline++;
			} else if (roll < 88 && !t.online && t.client!.socket.status === 'disconnected') {
				void t.client!.socket.connect();
				t.online = true;
			} else {
				await sleep(rng.int(0, 30));
			}
			if (step % 10 === 9) await sleep(0);
		}

		// Back online: a socket still closing ignores connect(), so ask again until it opens.
		for (const t of tablets) t.online = true;
		const reconnect = () => {
			for (const c of all) if (c.socket.status === 'disconnected') void c.socket.connect();
			return all.every(settled);
		};
		await waitFor(reconnect, `the server to acknowledge every tablet's edits`, 60_000).catch((e: Error) =>
			fail(
				`${e.message}: ${all.map((c, i) => `tablet ${i} ${c.socket.status} synced=${c.provider.isSynced} unacked=${c.provider.unsyncedChanges} closes=${c.closes.join('|')}`).join('; ')}\n` +
					server.output().slice(-3000)
			)
		);

		const expectSame = (label: string, doc: Y.Doc, reference: ReturnType<typeof comparable>) => {
			try {
				serverGridKind.checkInvariants(doc);
			} catch (e) {
				fail(`${label}: ${(e as Error).message}`);
			}
			const s = comparable(doc);
			if (s.roots !== reference.roots) fail(`${label}: content differs from tablet 0 ${firstDifference(s.roots, reference.roots)}`);
			if (s.readers !== reference.readers) fail(`${label}: readers differ from tablet 0 ${firstDifference(s.readers, reference.readers)}`);
			if (s.stateVector !== reference.stateVector) fail(`${label}: state vector ${s.stateVector} differs from tablet 0's ${reference.stateVector}`);
		};
		// Every tablet has everything the others sent once each has the server's state vector.
		const target = () => canonicalJson(comparable(all[0].doc));
		await waitFor(() => all.every((c) => canonicalJson(comparable(c.doc)) === target()), `[seed ${seed}] every tablet to converge`, 30_000).catch(
			() => undefined
		);
		const reference = comparable(all[0].doc);
		all.forEach((c, i) => expectSame(`tablet ${i}`, c.doc, reference));

		const fresh = async (label: string) => {
			const c = connect(server.wsUrl, name, tokens.get('demo-committee')!);
			all.push(c);
			await waitFor(() => settled(c), `[seed ${seed}] ${label} to load`, 30_000);
			expectSame(label, c.doc, reference);
		};
		await fresh('a fresh tablet loading from the server');
		if (options.restart ?? true) {
			for (const c of all) c.destroy();
			all.length = 0;
			await server.kill('SIGKILL');
			await server.restart();
			restarted = true;
			for (const w of WRITERS) tokens.set(w.username, await server.login(w.username));
			await fresh('a fresh tablet after a SIGKILL and restart (loaded from the log)');
		}
		return { seed, clients: clientCount, ops, refused, offline, restarted };
	} finally {
		for (const c of all) c.destroy();
	}
}
