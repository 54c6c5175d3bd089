/**
 * Helpers for the access-control integration tests: the test server's SQLite file opened in a
 * second connection (as an operator would), records for session/dispute documents, and JSON
 * calls to the HTTP API with a bearer token.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { listHouseholds } from '../../src/lib/domain/grid-doc.ts';
import { listVisits, recordVisit } from '../../src/lib/domain/visits.ts';
import type { TestServer } from './server.ts';

/**
 * Runs `fn` on the server's database through its own connection, then closes it. `readOnly`
 * for looking only (also while the server is stopped).
 */
export function withDb<T>(server: TestServer, fn: (db: DatabaseSync) => T, options: { readOnly?: boolean } = {}): T {
	if (server.databaseUrl) return fn(pgAsSqlite(server) as unknown as DatabaseSync);
	const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'), { readOnly: options.readOnly ?? false });
	db.exec('PRAGMA busy_timeout = 5000');
	try {
		return fn(db);
	} finally {
		db.close();
	}
}

/**
 * Runs `sql` on the server's PostgreSQL database (TEST_STORE=pg) through psql, synchronously
 * as `withDb` is; `:'name'` in `sql` stands for `vars[name]`, quoted by psql. Returns the rows,
 * tab-separated.
 */
function psql(server: TestServer, sql: string, vars: Record<string, string> = {}): string[][] {
	const args = ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', server.databaseUrl!];
	for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
	const out = execFileSync('psql', args, { input: sql, encoding: 'utf8' });
	return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

type Param = string | number | bigint | null | Uint8Array;

/** One CSV line of psql's output into fields; an unquoted empty field is NULL. */
function csvFields(line: string): (string | null)[] {
	const out: (string | null)[] = [];
	let i = 0;
	while (i <= line.length) {
		if (line[i] === '"') {
			let v = '';
			i++;
			for (;;) {
				if (line[i] === '"' && line[i + 1] === '"') (v += '"'), (i += 2);
				else if (line[i] === '"') break;
				else v += line[i++];
			}
			out.push(v);
			i += 2;
		} else {
			const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
			const v = line.slice(i, end);
			out.push(v === '' ? null : v);
			i = end + 1;
		}
	}
	return out;
}

/** A value as node:sqlite would give it: numbers as numbers, bytea as bytes. */
function sqliteValue(v: string | null): unknown {
	if (v === null) return null;
	if (/^-?\d+$/.test(v)) return Number(v);
	if (v.startsWith('\\x')) return Uint8Array.from(Buffer.from(v.slice(2), 'hex'));
	return v;
}

/**
 * The few statements tests run through `withDb`, on the server's PostgreSQL database
 * (TEST_STORE=pg) through psql, synchronously as node:sqlite runs them: `?` parameters, rows
 * as objects, `run()` with the number of rows changed. SQLite's INSERT OR IGNORE becomes
 * ON CONFLICT DO NOTHING.
 */
function pgAsSqlite(server: TestServer) {
	const exec = (sql: string, params: Param[], quiet: boolean): string => {
		const vars: string[] = [];
		let n = 0;
		let text = sql.replace(/\?/g, () => {
			const p = params[n++];
			if (p === null) return 'NULL';
			const name = `p${n}`;
			if (p instanceof Uint8Array) {
				vars.push('-v', `${name}=\\x${Buffer.from(p).toString('hex')}`);
				return `:'${name}'::bytea`;
			}
			vars.push('-v', `${name}=${String(p)}`);
			return `:'${name}'`;
		});
		if (/^\s*INSERT OR IGNORE/i.test(text)) text = `${text.replace(/INSERT OR IGNORE/i, 'INSERT')} ON CONFLICT DO NOTHING`;
		const args = ['-X', '--csv', '-v', 'ON_ERROR_STOP=1', ...(quiet ? ['-q'] : []), ...vars, '-d', server.databaseUrl!];
		return execFileSync('psql', args, { input: `${text};\n`, encoding: 'utf8' });
	};
	const rows = (sql: string, params: Param[]) => {
		const lines = exec(sql, params, true).split('\n').filter((l) => l !== '');
		if (lines.length === 0) return [];
		const header = csvFields(lines[0]) as string[];
		return lines.slice(1).map((l) => Object.fromEntries(csvFields(l).map((v, i) => [header[i], sqliteValue(v)])));
	};
	return {
		prepare: (sql: string) => ({
			get: (...params: Param[]) => rows(sql, params)[0],
			all: (...params: Param[]) => rows(sql, params),
			run: (...params: Param[]) => {
				const tag = exec(sql, params, false).trim().split('\n').pop() ?? '';
				return { changes: Number(/(\d+)$/.exec(tag)?.[1] ?? 0) };
			}
		}),
		exec: (sql: string) => void exec(sql, [], true)
	};
}

/** Registers session/dispute records so their documents have a community. */
export function addRecords(server: TestServer, records: { kind: 'session' | 'dispute'; id: string; communityId: string }[]): void {
	if (server.databaseUrl) {
		records.forEach((r) =>
			psql(
				server,
				`INSERT INTO records (kind, id, community_id) VALUES (:'kind', :'id', :'community')
				 ON CONFLICT (kind, id) DO UPDATE SET community_id = EXCLUDED.community_id;`,
				{ kind: r.kind, id: r.id, community: r.communityId }
			)
		);
		return;
	}
	withDb(server, (db) => {
		const insert = db.prepare('INSERT OR REPLACE INTO records (kind, id, community_id) VALUES (?, ?, ?)');
		for (const r of records) insert.run(r.kind, r.id, r.communityId);
	});
}

/** How many updates of `doc` (or of any document when omitted) the log holds from `userId`. */
export function updatesBy(server: TestServer, userId: string, doc?: string): number {
	if (server.databaseUrl) {
		const where = doc ? `user_id = :'user' AND doc = :'doc'` : `user_id = :'user'`;
		return Number(psql(server, `SELECT COUNT(*) FROM doc_updates WHERE ${where};`, { user: userId, doc: doc ?? '' })[0][0]);
	}
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

/**
 * Some edit of document `docName` by user `userId`, marked `mark`, that the server's rules
 * accept from anyone who may write it (RulesExtension refuses unknown roots in grid and session
 * documents): a visit in the user's own name on a grid, a line of minutes on a session, a key of
 * a `probe` map elsewhere.
 */
export function probeEdit(doc: Y.Doc, docName: string, userId: string, mark: string): void {
	const kind = parseDocName(docName)?.kind;
	if (kind === 'grid') {
		const h = listHouseholds(doc)[0];
		if (!h) throw new Error(`no household to visit in ${docName}`);
		recordVisit(doc, h.id, { mode: 'online', note: mark, by: userId });
	} else if (kind === 'session') doc.getXmlFragment('minutes:probe').insert(0, [new Y.XmlText(mark)]);
	else doc.getMap('probe').set(mark, true);
}

/** Whether `doc` holds the edit `probeEdit` made with `mark`. */
export function hasProbe(doc: Y.Doc, docName: string, mark: string): boolean {
	const kind = parseDocName(docName)?.kind;
	if (kind === 'grid') return listVisits(doc).some((v) => v.note === mark);
	if (kind === 'session') return doc.getXmlFragment('minutes:probe').toString().includes(mark);
	return doc.getMap('probe').has(mark);
}
