/**
 * Real HocuspocusProvider clients for integration tests, one test server per file with the
 * clients its tests open, and ways to compare documents.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, afterEach, beforeAll } from 'vitest';
import * as Y from 'yjs';
import { startServer, type StartOptions, type TestServer } from './server.ts';

export interface Client {
	doc: Y.Doc;
	provider: HocuspocusProvider;
	socket: HocuspocusProviderWebsocket;
	/** Reasons of authenticationFailed events, in order. */
	refusals: string[];
	/** Reasons of server-side closes of the connection (e.g. `access-revoked`), in order. */
	closes: string[];
	destroy(): void;
}

/** A provider on its own socket for `name` at `wsUrl`, with `token`. */
export function connect(wsUrl: string, name: string, token: string | null, doc: Y.Doc = new Y.Doc()): Client {
	const socket = new HocuspocusProviderWebsocket({ url: wsUrl, maxAttempts: 0, delay: 100, minDelay: 100, maxDelay: 1000 });
	const refusals: string[] = [];
	const closes: string[] = [];
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		document: doc,
		token: async () => token ?? '',
		onAuthenticationFailed: ({ reason }) => refusals.push(reason)
	});
	provider.on('close', ({ event }: { event: { reason?: string } }) => closes.push(String(event?.reason ?? '')));
	provider.attach();
	return {
		doc,
		provider,
		socket,
		refusals,
		closes,
		destroy() {
			provider.destroy();
			socket.destroy();
		}
	};
}

export interface CollabFixture {
	/** The file's server (set before the first test). */
	server: TestServer;
	/** A client (see `connect`) on the file's server, destroyed after the current test. */
	open(name: string, token: string | null, doc?: Y.Doc): Client;
	/** Destroys the clients opened so far (after each test, or sooner). */
	destroyClients(): void;
}

/**
 * One real server for a test file, started before its tests and stopped after them, and the
 * clients each test opens, destroyed after that test. Call once at the top of the file.
 */
export function useServerAndClients(options: StartOptions = {}): CollabFixture {
	const clients: Client[] = [];
	const f = {} as CollabFixture;
	beforeAll(async () => {
		f.server = await startServer(options);
	});
	afterEach(() => f.destroyClients());
	afterAll(async () => {
		await f.server?.stop();
	});
	f.open = (name, token, doc) => {
		const c = connect(f.server.wsUrl, name, token, doc);
		clients.push(c);
		return c;
	};
	f.destroyClients = () => {
		for (const c of clients.splice(0)) c.destroy();
	};
	return f;
}

/** Resolves once `check()` is true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Takes `client` offline (its socket closed until `client.socket.connect()`). */
export async function goOffline(client: Client): Promise<void> {
	client.socket.disconnect();
	await waitFor(() => client.socket.status === 'disconnected', 'a client to go offline');
}

/** Waits until the server has acknowledged every local edit of `client`. */
export function waitAcknowledged(client: Client, timeoutMs?: number): Promise<void> {
	return waitFor(
		() => client.provider.isSynced && client.provider.unsyncedChanges === 0,
		'the server to acknowledge every edit',
		timeoutMs
	);
}

/** JSON with object keys sorted at every depth (Y.Map order differs between replicas). */
export function sortedJson(value: unknown): string {
	const sort = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(sort);
		if (v && typeof v === 'object') {
			return Object.fromEntries(
				Object.keys(v as object)
					.sort()
					.map((k) => [k, sort((v as Record<string, unknown>)[k])])
			);
		}
		return v;
	};
	return JSON.stringify(sort(value));
}

/** A comparable form of a grid document: every root, keys sorted. */
export function gridJson(doc: Y.Doc): string {
	return sortedJson({
		meta: doc.getMap('meta').toJSON(),
		households: doc.getMap('households').toJSON(),
		colourEvents: doc.getArray('colourEvents').toJSON(),
		visits: doc.getArray('visits').toJSON(),
		wishes: doc.getMap('wishes').toJSON(),
		liaisons: doc.getMap('liaisons').toJSON(),
		liaisonEvents: doc.getArray('liaisonEvents').toJSON(),
		acquaintances: doc.getMap('acquaintances').toJSON()
	});
}
