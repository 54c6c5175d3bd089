/**
 * Helpers for the access-control integration tests: the test server's SQLite file opened in a
 * second connection (as an operator would), records for session/dispute documents, and JSON
 * calls to the HTTP API with a bearer token.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TestServer } from './server.ts';

/**
 * Runs `fn` on the server's database through its own connection, then closes it. `readOnly`
 * for looking only (also while the server is stopped).
 */
export function withDb<T>(server: TestServer, fn: (db: DatabaseSync) => T, options: { readOnly?: boolean } = {}): T {
	const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'), { readOnly: options.readOnly ?? false });
	db.exec('PRAGMA busy_timeout = 5000');
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

/** Registers session/dispute records so their documents have a community. */
export function addRecords(server: TestServer, records: { kind: 'session' | 'dispute'; id: string; communityId: string }[]): void {
	withDb(server, (db) => {
		const insert = db.prepare('INSERT OR REPLACE INTO records (kind, id, community_id) VALUES (?, ?, ?)');
		for (const r of records) insert.run(r.kind, r.id, r.communityId);
	});
}

/** How many updates of `doc` (or of any document when omitted) the log holds from `userId`. */
export function updatesBy(server: TestServer, userId: string, doc?: string): number {
	return withDb(server, (db) => {
		const row = doc
			? db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE user_id = ? AND doc = ?').get(userId, doc)
			: db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE user_id = ?').get(userId);
		return Number((row as { n: number }).n);
	});
}

export interface ApiAnswer<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

/** One JSON call; `token` goes in `Authorization: Bearer`. */
export async function call<T = any>(
	server: TestServer,
	token: string | null,
	method: string,
	path: string,
	body?: unknown
): Promise<ApiAnswer<T>> {
	const headers: Record<string, string> = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: keep the text
	}
	return { status: res.status, headers: res.headers, body: parsed as T };
}
