/**
 * The one connection of this tab to the server: a single HocuspocusProviderWebsocket at
 * `/collab` carries every open document, each through its own HocuspocusProvider attached to
 * it. It authenticates with the session cookie of the upgrade request (the provider's token is
 * only a placeholder: COOKIE_AUTH_TOKEN), so a new login takes effect at the next connect. The browser's online/offline events drive the socket directly:
 * offline closes it (edits stay on the device), online reconnects at once. While it is not open,
 * document updates are not queued (offline-queue.ts): each document's reconnect handshake
 * sends what the server lacks as one update.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import type * as Y from 'yjs';
import { COOKIE_AUTH_TOKEN } from '$lib/domain/collab-auth.ts';
import { markExpired, markValidated } from './account.ts';
import { keepUpdatesOutOfQueue } from './offline-queue.ts';
import { noticeQuotaRefusals } from './quota-refusal.svelte.ts';
import { connectSocket } from './socket-connect.ts';
import { syncStatus } from './sync-status.svelte.ts';

let socket: HocuspocusProviderWebsocket | null = null;

function collabUrl(): string {
	return `${location.origin.replace(/^http/, 'ws')}/collab`;
}

function updateNetwork(status?: WebSocketStatus): void {
	if (!navigator.onLine) {
		syncStatus.network = 'offline';
		return;
	}
	if (!socket) {
		// no document open: the browser's own signal is all there is
		syncStatus.network = 'online';
		return;
	}
	const s = status ?? socket.status;
	syncStatus.network =
		s === WebSocketStatus.Connected ? 'online' : s === WebSocketStatus.Connecting ? 'connecting' : 'offline';
}

let watching = false;

/**
 * Follows the browser's online/offline events, with or without an open socket (the grid list
 * has none): offline closes the socket at once, online reconnects it at once.
 */
export function watchNetwork(): void {
	if (watching) return;
	watching = true;
	window.addEventListener('offline', () => {
		socket?.disconnect();
		updateNetwork();
	});
	window.addEventListener('online', () => {
		// a flap: the socket closed at 'offline' may still be closing; connect once it has
		if (socket) connectSocket(socket, () => navigator.onLine);
		updateNetwork();
	});
	updateNetwork();
}

function sharedSocket(): HocuspocusProviderWebsocket {
	if (socket) return socket;
	watchNetwork();
	const ws = new HocuspocusProviderWebsocket({
		url: collabUrl(),
		autoConnect: navigator.onLine,
		maxDelay: 10_000
	});
	// offline edits go with the reconnect handshake as one update, not one queued message each
	keepUpdatesOutOfQueue(ws);
	ws.on('status', ({ status }: { status: WebSocketStatus }) => updateNetwork(status));
	socket = ws;
	updateNetwork();
	return ws;
}

/**
 * Opens the network side of one document. Create it right away, without waiting for the local
 * load (a provider created late has been seen never to connect).
 */
export function openNetworkProvider(name: string, document: Y.Doc): HocuspocusProvider {
	const provider = new HocuspocusProvider({
		name,
		document,
		websocketProvider: sharedSocket(),
		token: COOKIE_AUTH_TOKEN,
		onAuthenticationFailed: ({ reason }: { reason: string }) => {
			// a document this user may not open is not an expired login
			if (reason === 'forbidden' || reason === 'unknown-document' || reason === 'invalid-document-name') {
				syncStatus.refused(name);
				provider.detach(); // no more attempts on this socket; the copy goes at next login
				return;
			}
			syncStatus.sessionExpired = true;
			void markExpired();
		},
		onAuthenticated: () => {
			syncStatus.sessionExpired = false;
			void markValidated();
		}
	});
	provider.on('close', ({ event }: { event?: { reason?: string } }) => {
		const reason = event?.reason ?? '';
		if (reason === 'session-revoked' || reason === 'account-disabled') {
			syncStatus.sessionExpired = true;
			syncStatus.accountDisabled = reason === 'account-disabled';
			void markExpired();
		} else if (reason === 'access-revoked') {
			syncStatus.refused(name);
			provider.detach();
		}
	});
	noticeQuotaRefusals(provider, name);
	provider.attach();
	return provider;
}

/** Ends this tab's connection (before the device is wiped at logout). */
export function closeConnection(): void {
	if (!socket) return;
	socket.disconnect();
	socket.destroy();
	socket = null;
	updateNetwork();
}

/**
 * Tells the server a new session exists (after logging in again) on every open document: a new
 * socket, whose upgrade request carries the new cookie and whose opening authenticates and
 * syncs each document again (once the old one has
 * closed: see socket-connect.ts).
 */
export function reconnect(): void {
	const ws = socket;
	if (!ws) return;
	ws.disconnect();
	connectSocket(ws, () => socket === ws && navigator.onLine);
}
