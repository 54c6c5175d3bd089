/**
 * Looking into the page origin's IndexedDB from a test: every database, every object store
 * and every record, as the next user of the device could read them.
 */
import type { Page } from 'playwright-core';

export type IdbDump = Record<string, Record<string, unknown[]>>;

/** Every record of every object store of every database of the page's origin. */
export function dumpIndexedDb(page: Page): Promise<IdbDump> {
	return page.evaluate(async () => {
		const plain = (v: unknown): unknown => {
			if (v instanceof Uint8Array) return { bytes: Array.from(v) };
			if (v instanceof Date) return v.toISOString();
			if (Array.isArray(v)) return v.map(plain);
			if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
			return v;
		};
		const out: Record<string, Record<string, unknown[]>> = {};
		for (const info of await indexedDB.databases()) {
			if (!info.name) continue;
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const req = indexedDB.open(info.name!);
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			const stores: Record<string, unknown[]> = {};
			for (const name of Array.from(db.objectStoreNames)) {
				stores[name] = await new Promise<unknown[]>((resolve, reject) => {
					const req = db.transaction(name, 'readonly').objectStore(name).getAll();
					req.onsuccess = () => resolve((req.result as unknown[]).map(plain));
					req.onerror = () => reject(req.error);
				});
			}
			db.close();
			out[info.name] = stores;
		}
		return out;
	});
}

/** Bytes as text, so a test can look for a string inside Yjs updates too. */
export function dumpText(dump: IdbDump): string {
	return JSON.stringify(dump, (_k, v) =>
		v && typeof v === 'object' && Array.isArray((v as { bytes?: unknown }).bytes)
			? new TextDecoder().decode(new Uint8Array((v as { bytes: number[] }).bytes))
			: v
	);
}

/** Changes fields of the cached account row (database "tongxin", store "account"). */
export function patchAccount(page: Page, fields: Record<string, unknown>): Promise<void> {
	return page.evaluate(
		(patch) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('tongxin');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction('account', 'readwrite');
					const store = tx.objectStore('account');
					const get = store.get('current');
					get.onsuccess = () => store.put({ ...get.result, ...patch });
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		fields
	);
}
