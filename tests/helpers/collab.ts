/**
 * Real HocuspocusProvider clients for integration tests, and ways to compare documents.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';

export interface Client {
	doc: Y.Doc;
	provider: HocuspocusProvider;
	socket: HocuspocusProviderWebsocket;
	/** Reasons of authenticationFailed events, in order. */
	refusals: string[];
	destroy(): void;
}

/** A provider on its own socket for `name` at `wsUrl`, with `token`. */
export function connect(wsUrl: string, name: string, token: string | null, doc: Y.Doc = new Y.Doc()): Client {
	const socket = new HocuspocusProviderWebsocket({ url: wsUrl, maxAttempts: 0, delay: 100, minDelay: 100, maxDelay: 1000 });
	const refusals: string[] = [];
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		document: doc,
		token: async () => token ?? '',
		onAuthenticationFailed: ({ reason }) => refusals.push(reason)
	});
	provider.attach();
	return {
		doc,
		provider,
		socket,
		refusals,
		destroy() {
			provider.destroy();
			socket.destroy();
		}
	};
}

/** Resolves once `check()` is true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
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
