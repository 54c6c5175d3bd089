/**
 * One port for everything: a plain node:http server that hands requests to SvelteKit's
 * adapter-node handler and WebSocket upgrades on `/collab` to Hocuspocus through crossws.
 * The crossws hooks do what @hocuspocus/server's own Server class does (src/Server.ts).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import { securityHeaders } from '../src/lib/server/http/security-headers.ts';
import { SOCKET_CLOSE, SocketGuard } from './collab/socket-guard.ts';
import { log } from './log.ts';

export const COLLAB_PATH = '/collab';

/** How long a socket closed before login may take to answer the close frame. */
const PRE_LOGIN_CLOSE_GRACE_MS = 1_000;

type HocuspocusConnection = ReturnType<Hocuspocus['handleConnection']>;

export interface HttpServer {
	server: Server;
	/** Closes every WebSocket (code 1001, "going away"). */
	closeSockets(): void;
}

export interface CollabUpgrade {
	/** Takes over an HTTP upgrade request for `/collab`. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Closes every WebSocket (code 1001, "going away"). */
	closeAll(): void;
}

/** WebSockets for Hocuspocus through crossws: the hooks of @hocuspocus/server's Server class. */
/** Whether a frame off a socket goes on to Hocuspocus (PresenceExtension.admitFrame: over-rate awareness does not). */
export type FrameFilter = (socket: object, frame: Uint8Array) => boolean;

export function createCollabUpgrade(
	hocuspocus: Hocuspocus,
	maxPayload: number,
	guard: SocketGuard = new SocketGuard(),
	admitFrame: FrameFilter = () => true
): CollabUpgrade {
	const connections = new WeakMap<object, HocuspocusConnection>();
	const released = new WeakMap<object, () => void>();
	const ws = crossws({
		serverOptions: { maxPayload },
		hooks: {
			open(peer) {
				// sockets before login are capped per address and closed when refused (socket-guard.ts);
				// such a socket is cut a moment after its close frame, instead of ws reading whatever
				// it still sends for up to 30 s while waiting for the client's close frame. A socket
				// closed for flooding (one too many from its address, or over Hocuspocus's queue before
				// login) is not read at all meanwhile: ws unmasks every frame it reads, and 100 sockets
				// × 5 MB before login (issue 12) cost the server 1.2 s of CPU in that work. A refused
				// login is still read, so that the client's close frame ends it at once.
				const cut = (flood: boolean) => {
					if (flood) (peer.websocket as { pause?: () => void }).pause?.();
					setTimeout(() => peer.terminate(), PRE_LOGIN_CLOSE_GRACE_MS).unref();
				};
				let refusedLogin = false;
				const admitted = guard.open(peer.remoteAddress ?? 'unknown', (code, reason) => {
					refusedLogin = true;
					peer.close(code, reason);
					cut(false);
				});
				if (!admitted) {
					peer.close(SOCKET_CLOSE.tooMany.code, SOCKET_CLOSE.tooMany.reason);
					cut(true);
					return;
				}
				// the same when Hocuspocus closes a socket before login (its queue limits)
				const socket = peer.websocket as { close: (code?: number, reason?: string) => void };
				const close = socket.close.bind(socket);
				socket.close = (code, reason) => {
					close(code, reason);
					if (!admitted.handle.isAuthenticated() && !refusedLogin) cut(true);
				};
				released.set(peer, admitted.released);
				const connection = hocuspocus.handleConnection(
					peer.websocket as unknown as WebSocket,
					peer.request as Request,
					{ socket: admitted.handle }
				);
				connections.set(peer, connection);
			},
			message(peer, message) {
				const frame = message.uint8Array();
				if (admitFrame(peer.websocket, frame)) connections.get(peer)?.handleMessage(frame);
			},
			close(peer, event) {
				connections.get(peer)?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
				connections.delete(peer);
				released.get(peer)?.();
				released.delete(peer);
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
	return {
		handleUpgrade(request, socket, head) {
			ws.handleUpgrade(request, socket, head).catch((error: unknown) => {
				log('error', 'collab.upgradeFailed', { error });
				socket.destroy();
			});
		},
		closeAll: () => ws.closeAll(1001, 'server shutting down')
	};
}

/** Whether an upgrade request is for `/collab` (query strings allowed). */
export function isCollabPath(url: string | undefined): boolean {
	return (url ?? '').split('?')[0] === COLLAB_PATH;
}

/**
 * Whether a request reached us over https: the public ORIGIN's scheme when one is configured,
 * else the protocol header a proxy sets (PROTOCOL_HEADER), else the socket's own (the same
 * order as adapter-node's).
 */
export function httpsJudge(options: { origin?: string; protocolHeader?: string }): (req: IncomingMessage) => boolean {
	if (options.origin) {
		const https = options.origin.startsWith('https:');
		return () => https;
	}
	const header = options.protocolHeader?.toLowerCase();
	if (header) return (req) => String(req.headers[header] ?? '').split(',')[0].trim() === 'https';
	return (req) => !!(req.socket as { encrypted?: boolean }).encrypted;
}

/**
 * The security headers (security-headers.ts) on every response, set here once: adapter-node
 * serves its static files (the app's immutable assets, favicon, manifest, service worker)
 * without SvelteKit's hooks. Set on the response before the handler runs; a handler's own
 * value for the same header wins (writeHead merges).
 */
function withSecurityHeaders(handler: RequestListener, isHttps: (req: IncomingMessage) => boolean): RequestListener {
	return (req: IncomingMessage, res: ServerResponse) => {
		for (const [name, value] of securityHeaders(isHttps(req))) res.setHeader(name, value);
		handler(req, res);
	};
}

export function createHttpServer(options: {
	handler: RequestListener;
	hocuspocus: Hocuspocus;
	maxPayload: number;
	/** When set, this header is overwritten with the socket's real protocol for SvelteKit. */
	protocolHeader?: string;
	/** Whether a request came over https (HSTS); default: the socket's own protocol. */
	isHttps?: (req: IncomingMessage) => boolean;
	admitFrame?: FrameFilter;
}): HttpServer {
	const { handler, hocuspocus, maxPayload, protocolHeader } = options;
	const collab = createCollabUpgrade(hocuspocus, maxPayload, undefined, options.admitFrame);
	const secured = withSecurityHeaders(handler, options.isHttps ?? httpsJudge({}));

	const server = createServer(
		protocolHeader
			? (req, res) => {
					req.headers[protocolHeader] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
					secured(req, res);
				}
			: secured
	);
	server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		if (!isCollabPath(request.url)) {
			log('warn', 'http.upgradeRefused', { path: (request.url ?? '').split('?')[0].slice(0, 100) });
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		collab.handleUpgrade(request, socket, head);
	});

	return {
		server,
		closeSockets: () => collab.closeAll()
	};
}
