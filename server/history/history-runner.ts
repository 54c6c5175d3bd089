/**
 * Runs history replays in one worker thread (history-worker.ts), one at a time: the server's
 * main thread stays free for the devices, and many readers together take one core at most.
 * At most `maxQueued` requests wait; past that a request is refused at once (the route answers
 * 503), rather than piling up. A worker that dies is started again for the next request.
 */
import { Worker } from 'node:worker_threads';
import type { DocHistory, HistoryPage } from '../../src/lib/server/history.ts';
import { log } from '../log.ts';
import type { HistoryReply, HistoryRequest } from './history-worker.ts';

export class HistoryBusy extends Error {
	override name = 'HistoryBusy';
}

interface Pending {
	resolve(history: DocHistory): void;
	reject(error: Error): void;
}

export class HistoryRunner {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;
	private readonly dbFile: string;
	private readonly maxQueued: number;

	constructor(dbFile: string, maxQueued = 16) {
		this.dbFile = dbFile;
		this.maxQueued = maxQueued;
	}

	run(doc: string, limit: number, page: HistoryPage): Promise<DocHistory> {
		if (this.pending.size >= this.maxQueued) return Promise.reject(new HistoryBusy('history requests are queued to the limit'));
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.start().postMessage({ id, doc, limit, page } satisfies HistoryRequest);
		});
	}

	close(): Promise<number> | undefined {
		const w = this.worker;
		this.worker = null;
		return w?.terminate();
	}

	private start(): Worker {
		if (this.worker) return this.worker;
		const worker = new Worker(new URL('./history-worker.ts', import.meta.url), { workerData: { dbFile: this.dbFile } });
		worker.unref(); // never what keeps the process alive
		worker.on('message', (reply: HistoryReply) => {
			const p = this.pending.get(reply.id);
			if (!p) return;
			this.pending.delete(reply.id);
			if ('error' in reply) p.reject(new Error(reply.error));
			else p.resolve(reply.history);
		});
		const fail = (error: Error) => {
			log('error', 'history.workerFailed', { error });
			if (this.worker === worker) this.worker = null;
			for (const p of this.pending.values()) p.reject(error);
			this.pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => {
			if (this.worker === worker && code !== 0) fail(new Error(`history worker exited with ${code}`));
			if (this.worker === worker) this.worker = null;
		});
		this.worker = worker;
		return worker;
	}
}
