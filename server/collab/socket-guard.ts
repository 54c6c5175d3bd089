/**
 * Sockets before login (issue 12). Until one of its documents has authenticated, a WebSocket
 * costs the server memory (Hocuspocus buffers its messages) and gives nothing back, so:
 *
 * - at most `maxPendingPerAddress` such sockets per address at once; one more is closed at once
 *   (4429 `too-many-pending-sockets`): tablets behind one village hotspot authenticate within
 *   a moment of opening, far under the cap;
 * - a socket must authenticate a document within `authDeadlineMs` of opening, else it is
 *   closed (4408 `authentication-timeout`);
 * - a refused authentication closes the socket when the socket never authenticated and the
 *   token or the document name is bad (every document on it would be refused the same way),
 *   and any socket after `maxRefusals` refusals (4401 `authentication-refused`). A socket with
 *   live documents keeps them when one other document is refused (access taken away).
 *
 * Hocuspocus itself bounds the bytes one socket may queue before authenticating
 * (`maxUnauthenticatedQueueSize`, set in hocuspocus.ts). Each socket's handle reaches
 * AuthExtension through the connection's default context (`context.socket`).
 */
import { logLimited } from '../log-limited.ts';

export interface SocketHandle {
	/** AuthExtension: a document on this socket authenticated. */
	authenticated(): void;
	/** AuthExtension: a document on this socket was refused, for `reason`. */
	refused(reason: string): void;
	/** Whether a document on this socket has authenticated. */
	isAuthenticated(): boolean;
}

export interface SocketGuardOptions {
	maxPendingPerAddress?: number;
	authDeadlineMs?: number;
	maxRefusals?: number;
}

/** Refusals that mean the socket's own credentials or framing are bad, not one document. */
const SOCKET_WIDE = new Set(['missing-token', 'invalid-token', 'invalid-document-name']);

export const SOCKET_CLOSE = {
	tooMany: { code: 4429, reason: 'too-many-pending-sockets' },
	timeout: { code: 4408, reason: 'authentication-timeout' },
	refused: { code: 4401, reason: 'authentication-refused' }
} as const;

export class SocketGuard {
	readonly maxPendingPerAddress: number;
	readonly authDeadlineMs: number;
	readonly maxRefusals: number;
	/** Sockets closed by this guard, by reason. */
	readonly closed: Record<string, number> = {};
	private readonly pending = new Map<string, number>();

	constructor(options: SocketGuardOptions = {}) {
		this.maxPendingPerAddress = options.maxPendingPerAddress ?? 64;
		this.authDeadlineMs = options.authDeadlineMs ?? 20_000;
		this.maxRefusals = options.maxRefusals ?? 20;
	}

	/**
	 * A new socket from `address`: its handle, or null when the address already has its fill of
	 * unauthenticated sockets (the caller closes it with SOCKET_CLOSE.tooMany).
	 * `close` closes the socket; `released` must be called once when it has closed.
	 */
	open(address: string, close: (code: number, reason: string) => void): { handle: SocketHandle; released: () => void } | null {
		const count = this.pending.get(address) ?? 0;
		if (count >= this.maxPendingPerAddress) {
			this.count(SOCKET_CLOSE.tooMany.reason);
			logLimited('warn', 'collab.socketRefused', { reason: SOCKET_CLOSE.tooMany.reason, address, pending: count });
			return null;
		}
		this.pending.set(address, count + 1);
		let isPending = true;
		let authenticatedOnce = false;
		let refusals = 0;
		let done = false;
		const settle = () => {
			if (!isPending) return;
			isPending = false;
			const n = (this.pending.get(address) ?? 1) - 1;
			if (n <= 0) this.pending.delete(address);
			else this.pending.set(address, n);
		};
		const shut = (why: { code: number; reason: string }) => {
			if (done) return;
			done = true;
			this.count(why.reason);
			logLimited('warn', 'collab.socketClosed', { reason: why.reason, address, refusals });
			close(why.code, why.reason);
		};
		const deadline = setTimeout(() => {
			if (!authenticatedOnce) shut(SOCKET_CLOSE.timeout);
		}, this.authDeadlineMs);
		deadline.unref?.();
		const handle: SocketHandle = {
			isAuthenticated: () => authenticatedOnce,
			authenticated() {
				authenticatedOnce = true;
				settle();
			},
			refused: (reason) => {
				refusals++;
				if ((!authenticatedOnce && SOCKET_WIDE.has(reason)) || refusals > this.maxRefusals)
					// after Hocuspocus has sent the refusal itself, so the client learns why
					setImmediate(() => shut(SOCKET_CLOSE.refused));
			}
		};
		return {
			handle,
			released: () => {
				done = true;
				clearTimeout(deadline);
				settle();
			}
		};
	}

	/** Unauthenticated sockets open now, all addresses together. */
	pendingSockets(): number {
		let n = 0;
		for (const c of this.pending.values()) n += c;
		return n;
	}

	private count(reason: string): void {
		this.closed[reason] = (this.closed[reason] ?? 0) + 1;
	}
}
