/**
 * Waits until every write already queued on an IndexedDB database has committed, from any
 * connection (also one whose close() is still pending). A read-only transaction over all of the
 * database's stores cannot start before the read/write transactions created earlier on those
 * stores have finished, so its `complete` means they are on disk; a page reload after that can
 * no longer abort them. Resolves with the number of records in each store.
 */
export function settleIndexedDb(name: string): Promise<Record<string, number>> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name);
		request.onerror = () => reject(request.error);
		request.onsuccess = () => {
			const db = request.result;
			const stores = [...db.objectStoreNames];
			if (stores.length === 0) {
				db.close();
				resolve({});
				return;
			}
			const tx = db.transaction(stores, 'readonly');
			const counts = stores.map((store) => tx.objectStore(store).count());
			tx.oncomplete = () => {
				db.close();
				resolve(Object.fromEntries(stores.map((store, i) => [store, counts[i].result])));
			};
			tx.onerror = tx.onabort = () => {
				db.close();
				reject(tx.error);
			};
		};
	});
}
