/**
 * One sync client of either server, for the benchmark rows that drive documents from the
 * bench process itself (memory, storage): a HocuspocusProvider for ours, a y-websocket
 * WebsocketProvider for the reference.
 */
import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { RunningServer } from './servers.ts';

export interface BenchClient {
	doc: Y.Doc;
	synced: Promise<void>;
	/** True when the server has acknowledged every local edit (ours); the reference has no acks. */
	acknowledged(): boolean;
	destroy(): void;
}

export function benchClient(server: RunningServer, docName: string, doc: Y.Doc = new Y.Doc()): BenchClient {
	if (server.name === 'ours') {
		const provider = new HocuspocusProvider({ url: server.wsUrl, name: docName, document: doc, token: server.token ?? '' });
		const synced = new Promise<void>((resolve, reject) => {
			provider.on('synced', () => resolve());
			provider.on('authenticationFailed', ({ reason }: { reason: string }) => reject(new Error(`authentication failed: ${reason}`)));
		});
		return { doc, synced, acknowledged: () => provider.isSynced && provider.unsyncedChanges === 0, destroy: () => provider.destroy() };
	}
	// disableBc: clients in one process would otherwise exchange updates in-process (BroadcastChannel), not through the server.
	const provider = new WebsocketProvider(server.wsUrl, docName, doc, { disableBc: true });
	const synced = new Promise<void>((resolve) => provider.on('sync', (s: boolean) => s && resolve()));
	return { doc, synced, acknowledged: () => provider.synced, destroy: () => provider.destroy() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`${what}: not reached in ${ms} ms`);
		await sleep(25);
	}
}
