/**
 * Memory of a server process as V8 sees it after a full garbage collection, read through the
 * process's inspector (started with --inspect=127.0.0.1:0). RSS alone says little about what a
 * document costs: V8 keeps freed heap for reuse, so RSS hardly drops when documents unload.
 */

export interface HeapFigures {
	heapUsed: number;
	external: number;
	arrayBuffers: number;
	rss: number;
}

/** The inspector's WebSocket URL, from the "Debugger listening on ws://…" line. */
export function inspectorUrl(output: string): string | null {
	return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? null;
}

export async function heapAfterGc(url: string): Promise<HeapFigures> {
	const ws = new WebSocket(url);
	await new Promise<void>((resolve, reject) => {
		ws.addEventListener('open', () => resolve(), { once: true });
		ws.addEventListener('error', () => reject(new Error(`inspector at ${url} unreachable`)), { once: true });
	});
	let nextId = 1;
	const call = (method: string, params: Record<string, unknown> = {}) =>
		new Promise<{ result?: { result?: { value?: string } } }>((resolve) => {
			const id = nextId++;
			const onMessage = (ev: MessageEvent) => {
				const msg = JSON.parse(String(ev.data));
				if (msg.id === id) {
					ws.removeEventListener('message', onMessage);
					resolve(msg);
				}
			};
			ws.addEventListener('message', onMessage);
			ws.send(JSON.stringify({ id, method, params }));
		});
	try {
		await call('HeapProfiler.collectGarbage');
		await call('HeapProfiler.collectGarbage');
		const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())' });
		return JSON.parse(r.result?.result?.value ?? '{}') as HeapFigures;
	} finally {
		ws.close();
	}
}
