/**
 * One convergence run: N simulated clients apply random named mutations to their own replica
 * while a simulated network delivers updates in random order and clients drop off and come back.
 * At the end everyone reconnects and every message is delivered; then every replica must hold
 * the same content (roots compared in canonical, sorted-key JSON, since Y.Map iteration order
 * differs between replicas), the domain readers must give the same answers on each, and a
 * document rebuilt from Y.mergeUpdates of every update ever made must be identical too.
 *
 * Everything random comes from one seed, including the Y.Doc client ids, so a failure is
 * replayed exactly by its seed; every error message starts with it.
 */
import * as Y from 'yjs';
import { canonicalJson } from './canonical.ts';
import { rootsJson, type FuzzDocKind } from './doc-kind.ts';
import { SimulatedNetwork, type NetworkStats } from './network.ts';
import { Rng } from './rng.ts';

export interface ConvergenceOptions {
	seed: number;
	kind: FuzzDocKind;
	clients?: number;
	steps?: number;
}

export interface ConvergenceResult extends NetworkStats {
	seed: number;
	kind: string;
	clients: number;
	ops: number;
	refused: number;
	updates: number;
	opCounts: Record<string, number>;
}

export class ConvergenceError extends Error {
	readonly seed: number;
	constructor(seed: number, kind: string, message: string) {
		super(`[seed ${seed}, ${kind}] ${message} — replay with: npm run fuzz -- --seed ${seed}`);
		this.name = 'ConvergenceError';
		this.seed = seed;
	}
}

/** The state of one replica in comparable form: raw roots, reader output, state vector. */
function snapshot(kind: FuzzDocKind, doc: Y.Doc): { roots: string; readers: string; stateVector: string } {
	const sv = Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([k, v]) => [String(k), v]));
	return { roots: canonicalJson(rootsJson(kind, doc)), readers: canonicalJson(kind.read(doc)), stateVector: canonicalJson(sv) };
}

function firstDifference(a: string, b: string): string {
	let i = 0;
	while (i < a.length && a[i] === b[i]) i++;
	return `at character ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

export function runConvergence(options: ConvergenceOptions): ConvergenceResult {
	const { seed, kind } = options;
	const rng = new Rng(seed);
	const clientCount = options.clients ?? rng.int(2, 6);
	const steps = options.steps ?? rng.int(50, 400);
	const net = new SimulatedNetwork(rng, clientCount);
	const opNames = Object.keys(kind.ops);
	const weights = Object.fromEntries(opNames.map((n) => [n, kind.ops[n].weight]));
	const opCounts: Record<string, number> = Object.fromEntries(opNames.map((n) => [n, 0]));
	let ops = 0;
	let refused = 0;
	const fail = (message: string): never => {
		throw new ConvergenceError(seed, kind.name, message);
	};

	try {
		for (let step = 0; step < steps; step++) {
			const roll = rng.int(0, 99);
			if (roll < 50) {
				const client = rng.pick(net.clients);
				const name = rng.weighted(weights);
				try {
					const outcome = kind.ops[name].run(client.doc, rng, `u${client.index}`);
					if (outcome === 'refused') refused++;
				} catch (e) {
					fail(`step ${step}: ${name} on client ${client.index} threw: ${(e as Error).stack ?? e}`);
				}
				opCounts[name]++;
				ops++;
			} else if (roll < 88) {
				for (let n = rng.int(1, 6); n > 0 && net.deliverRandom(); n--);
			} else if (roll < 94) {
				const online = net.clients.filter((c) => c.online);
				if (online.length > 0) net.disconnect(rng.pick(online));
			} else {
				const offline = net.clients.filter((c) => !c.online);
				if (offline.length > 0) net.reconnect(rng.pick(offline));
			}
		}

		net.flush();

		const reference = snapshot(kind, net.clients[0].doc);
		for (const client of net.clients) {
			try {
				kind.checkInvariants(client.doc);
			} catch (e) {
				fail(`client ${client.index}: ${(e as Error).message}`);
			}
			const s = snapshot(kind, client.doc);
			if (s.stateVector !== reference.stateVector) fail(`client ${client.index} state vector differs from client 0 after flush`);
			if (s.roots !== reference.roots) fail(`client ${client.index} content differs from client 0 ${firstDifference(s.roots, reference.roots)}`);
			if (s.readers !== reference.readers) fail(`client ${client.index} readers differ from client 0 ${firstDifference(s.readers, reference.readers)}`);
		}

		const merged = new Y.Doc();
		Y.applyUpdate(merged, Y.mergeUpdates(net.allUpdates));
		const m = snapshot(kind, merged);
		merged.destroy();
		if (m.roots !== reference.roots) fail(`document rebuilt from merged updates differs ${firstDifference(m.roots, reference.roots)}`);
		if (m.readers !== reference.readers) fail(`readers of the merged document differ ${firstDifference(m.readers, reference.readers)}`);

		return { seed, kind: kind.name, clients: clientCount, ops, refused, updates: net.allUpdates.length, opCounts, ...net.stats };
	} finally {
		net.destroy();
	}
}
