/**
 * Raw clients for the hostile-input test: a WebSocket that speaks the Hocuspocus framing by
 * hand (so it can lie), a TCP socket that performs the upgrade itself (so it can send broken
 * WebSocket frames), and a read-only look into the server's SQLite file.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, Close: 7, SyncStatus: 8 } as const;

/** A Hocuspocus frame: document name, message type, then `body`. */
export function frame(docName: string, type: number, body: (e: encoding.Encoder) => void = () => {}): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, docName);
	encoding.writeVarUint(e, type);
	body(e);
	return encoding.toUint8Array(e);
}

/** The authentication frame a provider sends: token, then its version. */
export const authFrame = (docName: string, token: string) =>
	frame(docName, MessageType.Auth, (e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarString(e, token);
		encoding.writeVarString(e, '4.0.0');
	});

/** A sync "update" frame (y-protocols messageYjsUpdate = 2) carrying `update` as is. */
export const updateFrame = (docName: string, update: Uint8Array) =>
	frame(docName, MessageType.Sync, (e) => {
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update);
	});

/** Sync step 1 with an empty state vector: asks the server for the whole document. */
export const syncStep1Frame = (docName: string) =>
	frame(docName, MessageType.Sync, (e) => {
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
	});

/**
 * An awareness frame: `states` as y-protocols encodes them (client id, clock, JSON state), so
 * it can speak for any client id it likes.
 */
export const awarenessFrame = (docName: string, states: { clientId: number; clock: number; state: unknown }[]) =>
	frame(docName, MessageType.Awareness, (e) => {
		const inner = encoding.createEncoder();
		encoding.writeVarUint(inner, states.length);
		for (const s of states) {
			encoding.writeVarUint(inner, s.clientId);
			encoding.writeVarUint(inner, s.clock);
			encoding.writeVarString(inner, JSON.stringify(s.state));
		}
		encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	});

export interface RawOutcome {
	closed: boolean;
	closeCode?: number;
	/** Reasons from PermissionDenied answers. */
	denied: string[];
	/** The server closed the document on this socket (Hocuspocus CLOSE message). */
	docClosed: boolean;
	/** The reason the server gave when it closed the document. */
	docCloseReason?: string;
	/** Awareness messages received. */
	awareness: number;
	/** Sync acknowledgements: true = applied, false = refused (read-only). */
	syncStatus: boolean[];
	authenticated: string[];
}

/** What a raw Hocuspocus client saw from the server. */
export class RawClient {
	readonly ws: WebSocket;
	readonly outcome: RawOutcome = { closed: false, denied: [], authenticated: [], docClosed: false, syncStatus: [], awareness: 0 };
	readonly opened: Promise<void>;
	readonly #closed: Promise<void>;

	constructor(url: string) {
		this.ws = new WebSocket(url);
		this.ws.binaryType = 'arraybuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.addEventListener('open', () => resolve(), { once: true });
			this.ws.addEventListener('error', () => reject(new Error('socket error before open')), { once: true });
		});
		this.#closed = new Promise((resolve) =>
			this.ws.addEventListener('close', (ev) => {
				this.outcome.closed = true;
				this.outcome.closeCode = ev.code;
				resolve();
			})
		);
		this.ws.addEventListener('message', (ev) => {
			if (!(ev.data instanceof ArrayBuffer)) return;
			try {
				const d = decoding.createDecoder(new Uint8Array(ev.data));
				decoding.readVarString(d);
				const type = decoding.readVarUint(d);
				if (type === MessageType.Close) {
					this.outcome.docClosed = true;
					this.outcome.docCloseReason = decoding.readVarString(d);
				}
				if (type === MessageType.Awareness) this.outcome.awareness++;
				if (type === MessageType.SyncStatus) this.outcome.syncStatus.push(decoding.readVarUint(d) === 1);
				if (type !== MessageType.Auth) return;
				const sub = decoding.readVarUint(d);
				const text = decoding.readVarString(d);
				if (sub === 1) this.outcome.denied.push(text);
				if (sub === 2) this.outcome.authenticated.push(text);
			} catch {
				// Not ours to judge: only auth answers are read.
			}
		});
	}

	send(data: Uint8Array | string): void {
		this.ws.send(typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>));
	}

	/** Waits until the socket closes or `ms` pass; true if it closed. */
	async closedWithin(ms: number): Promise<boolean> {
		await Promise.race([this.#closed, new Promise((r) => setTimeout(r, ms))]);
		return this.outcome.closed;
	}

	/** Waits until the socket or the document on it is closed, or `ms` pass. */
	async docClosedWithin(ms: number): Promise<boolean> {
		const start = Date.now();
		while (Date.now() - start < ms && !this.outcome.closed && !this.outcome.docClosed) await new Promise((r) => setTimeout(r, 20));
		return this.outcome.closed || this.outcome.docClosed;
	}

	/** Waits until an auth answer (or a close) arrives, or `ms` pass. */
	async answered(ms: number): Promise<void> {
		const start = Date.now();
		while (Date.now() - start < ms && !this.outcome.closed && this.outcome.denied.length + this.outcome.authenticated.length === 0)
			await new Promise((r) => setTimeout(r, 20));
	}

	close(): void {
		this.ws.close();
	}
}

/** A TCP socket that did the WebSocket upgrade by hand; resolves with the status line. */
export function rawUpgrade(port: number, path = '/collab', headers: Record<string, string> = {}): Promise<{ socket: Socket; status: string; closed: Promise<void> }> {
	return new Promise((resolve, reject) => {
		const socket = tcpConnect(port, '127.0.0.1');
		const closed = new Promise<void>((r) => socket.once('close', () => r()));
		socket.once('error', () => {});
		let head = '';
		const onData = (chunk: Buffer) => {
			head += chunk.toString('latin1');
			const end = head.indexOf('\r\n\r\n');
			if (end >= 0 || head.length > 4096) {
				socket.off('data', onData);
				resolve({ socket, status: head.split('\r\n')[0], closed });
			}
		};
		socket.on('data', onData);
		socket.once('close', () => resolve({ socket, status: head.split('\r\n')[0] ?? '', closed }));
		socket.once('connect', () => {
			const h = {
				Host: `127.0.0.1:${port}`,
				Upgrade: 'websocket',
				Connection: 'Upgrade',
				'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
				'Sec-WebSocket-Version': '13',
				...headers
			};
			socket.write(`GET ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
		});
		setTimeout(() => reject(new Error('raw upgrade timed out')), 5000);
	});
}

/** A masked client WebSocket frame (opcode 2 = binary) whose header claims `claimedLength`. */
export function wsFrame(payload: Uint8Array, options: { opcode?: number; claimedLength?: number; masked?: boolean } = {}): Buffer {
	const { opcode = 2, masked = true } = options;
	const len = options.claimedLength ?? payload.length;
	const header: number[] = [0x80 | opcode];
	const maskBit = masked ? 0x80 : 0;
	if (len < 126) header.push(maskBit | len);
	else if (len < 65536) header.push(maskBit | 126, len >> 8, len & 0xff);
	else {
		header.push(maskBit | 127, 0, 0, 0, 0);
		header.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
	}
	const mask = masked ? randomBytes(4) : Buffer.alloc(0);
	const body = Buffer.from(payload);
	if (masked) for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
	return Buffer.concat([Buffer.from(header), mask, body]);
}

/** The server's stored data in comparable form, read from its SQLite file beside it. */
export function storedState(dataDir: string, excludeDocs: readonly string[]): string {
	const db = new DatabaseSync(join(dataDir, 'tongxin.sqlite'), { readOnly: true });
	try {
		const all = <T>(sql: string, ...params: string[]) => db.prepare(sql).all(...params) as T[];
		const docs = all<{ doc: string }>('SELECT DISTINCT doc FROM doc_updates UNION SELECT DISTINCT doc FROM doc_snapshots')
			.map((r) => r.doc)
			.filter((d) => !excludeDocs.includes(d))
			.sort();
		const contents: Record<string, unknown> = {};
		for (const name of docs) {
			const doc = new Y.Doc();
			const snap = db.prepare('SELECT seq, state FROM doc_snapshots WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(name) as
				| { seq: number; state: Uint8Array }
				| undefined;
			if (snap) Y.applyUpdate(doc, snap.state);
			for (const u of all<{ update_bytes: Uint8Array }>('SELECT update_bytes FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq', name, String(snap?.seq ?? 0)))
				Y.applyUpdate(doc, u.update_bytes);
			contents[name] = { households: doc.getMap('households').toJSON(), meta: doc.getMap('meta').toJSON(), colourEvents: doc.getArray('colourEvents').length };
			doc.destroy();
		}
		return JSON.stringify({
			users: all('SELECT id, username, display_name, password_hash FROM users ORDER BY id'),
			memberships: all('SELECT * FROM memberships ORDER BY user_id, role, level, place_id'),
			places: all('SELECT * FROM places ORDER BY id'),
			docs: sortedKeys(contents)
		});
	} finally {
		db.close();
	}
}

function sortedKeys(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(sortedKeys);
	if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
	return v;
}
