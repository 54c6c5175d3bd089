/**
 * One port for everything: a plain node:http server that hands requests to SvelteKit's
 * adapter-node handler and WebSocket upgrades on `/collab` to Hocuspocus through crossws.
 * The crossws hooks do what @hocuspocus/server's own Server class does (src/Server.ts).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import { log } from './log.ts';

export const COLLAB_PATH = '/collab';

type HocuspocusConnection = ReturnType<Hocuspocus['handleConnection']>;

export interface HttpServer {
	server: Server;
	/** Closes every WebSocket (code 1001, "going away"). */
	closeSockets(): void;
}

export function createHttpServer(options: {
	handler: RequestListener;
	hocuspocus: Hocuspocus;
	maxPayload: number;
	/** When set, this header is overwritten with the socket's real protocol for SvelteKit. */
	protocolHeader?: string;
}): HttpServer {
	const { handler, hocuspocus, maxPayload, protocolHeader } = options;
	const connections = new WeakMap<object, HocuspocusConnection>();

	const ws = crossws({
		serverOptions: { maxPayload },
		hooks: {
			open(peer) {
				const connection = hocuspocus.handleConnection(
					peer.websocket as unknown as WebSocket,
					peer.request as Request
				);
				connections.set(peer, connection);
			},
			message(peer, message) {
				connections.get(peer)?.handleMessage(message.uint8Array());
			},
			close(peer, event) {
				connections.get(peer)?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
				connections.delete(peer);
			},
			error(peer, error) {
				// ws reports an oversized message here ("Max payload size exceeded"), then closes 1009.
				const text = String(error.message ?? error);
				const tooBig = /max payload/i.test(text);
				log('warn', tooBig ? 'collab.messageTooLarge' : 'collab.socketError', {
					peer: peer.id,
					maxPayload: tooBig ? maxPayload : undefined,
					error: text
				});
			}
		}
	});

	const server = createServer(
		protocolHeader
			? (req, res) => {
					req.headers[protocolHeader] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
					handler(req, res);
				}
			: handler
	);
	server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (request.url ?? '').split('?')[0];
		if (path !== COLLAB_PATH) {
			log('warn', 'http.upgradeRefused', { path: path.slice(0, 100) });
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		ws.handleUpgrade(request, socket, head).catch((error: unknown) => {
			log('error', 'collab.upgradeFailed', { error });
			socket.destroy();
		});
	});

	return {
		server,
		closeSockets: () => ws.closeAll(1001, 'server shutting down')
	};
}
