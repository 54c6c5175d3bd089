/**
 * How fast the update log grows, per document and per writer (issue 14: "the log's growth per
 * document is reported by the admin CLI"). Read straight from the SQLite file, read-only, so
 * it works beside a running server. Documents are named by their place where they have one,
 * writers by their display name.
 */
import { DatabaseSync } from 'node:sqlite';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';

export interface DocGrowth {
	doc: string;
	/** The grid's name for grid documents, else null. */
	place: string | null;
	rows: number;
	bytes: number;
	recentRows: number;
	recentBytes: number;
	snapshotBytes: number;
}

export interface WriterGrowth {
	userId: string;
	name: string;
	recentRows: number;
	recentBytes: number;
}

export interface LogGrowth {
	sinceMs: number;
	docs: DocGrowth[];
	writers: WriterGrowth[];
}

/** The log's size per document, and what it took since `sinceMs`, largest growth first. */
export function logGrowth(dbFile: string, sinceMs: number, topWriters = 10): LogGrowth {
	const db = new DatabaseSync(dbFile, { readOnly: true });
	try {
		db.exec('PRAGMA busy_timeout = 5000');
		const places = new Map((db.prepare('SELECT id, name FROM places').all() as { id: string; name: string }[]).map((p) => [p.id, p.name]));
		const snapshots = new Map(
			(db.prepare('SELECT doc, SUM(length(state)) AS bytes FROM doc_snapshots GROUP BY doc').all() as { doc: string; bytes: number }[]).map((r) => [r.doc, Number(r.bytes)])
		);
		const rows = db
			.prepare(
				`SELECT doc, COUNT(*) AS rows, SUM(length(update_bytes)) AS bytes,
					SUM(received_at >= ?) AS recentRows,
					SUM(CASE WHEN received_at >= ? THEN length(update_bytes) ELSE 0 END) AS recentBytes
				FROM doc_updates GROUP BY doc`
			)
			.all(sinceMs, sinceMs) as { doc: string; rows: number; bytes: number; recentRows: number; recentBytes: number }[];
		const docs = rows.map((r) => {
			const name = parseDocName(r.doc);
			const gridId = name && (name.kind === 'grid' || name.kind === 'gridRestricted') ? name.gridId : null;
			return {
				doc: r.doc,
				place: gridId ? (places.get(gridId) ?? null) : null,
				rows: Number(r.rows),
				bytes: Number(r.bytes),
				recentRows: Number(r.recentRows),
				recentBytes: Number(r.recentBytes),
				snapshotBytes: snapshots.get(r.doc) ?? 0
			};
		});
		docs.sort((a, b) => b.recentBytes - a.recentBytes || b.bytes - a.bytes || (a.doc < b.doc ? -1 : 1));
		const writers = (
			db
				.prepare(
					`SELECT u.user_id AS userId, COALESCE(users.display_name, u.user_id) AS name, COUNT(*) AS recentRows, SUM(length(u.update_bytes)) AS recentBytes
					FROM doc_updates u LEFT JOIN users ON users.id = u.user_id
					WHERE u.received_at >= ? GROUP BY u.user_id ORDER BY recentBytes DESC LIMIT ?`
				)
				.all(sinceMs, topWriters) as { userId: string; name: string; recentRows: number; recentBytes: number }[]
		).map((w) => ({ ...w, recentRows: Number(w.recentRows), recentBytes: Number(w.recentBytes) }));
		return { sinceMs, docs, writers };
	} finally {
		db.close();
	}
}

const size = (bytes: number) =>
	bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;

/** The report as text: one line per document, then the largest writers of the period. */
export function formatLogGrowth(g: LogGrowth, hours: number): string {
	if (g.docs.length === 0) return '(the update log is empty)';
	const lines = [`update log per document (growth: last ${hours} h)`, `${'document'.padEnd(34)} ${'updates'.padStart(9)} ${'log'.padStart(10)} ${'snapshots'.padStart(10)} ${'growth'.padStart(10)} ${'updates'.padStart(8)}`];
	// names last: CJK characters are two columns wide and would break the alignment
	for (const d of g.docs)
		lines.push(
			`${d.doc.padEnd(34)} ${String(d.rows).padStart(9)} ${size(d.bytes).padStart(10)} ${size(d.snapshotBytes).padStart(10)} ${size(d.recentBytes).padStart(10)} ${String(d.recentRows).padStart(8)}${d.place ? `  ${d.place}` : ''}`
		);
	const total = g.docs.reduce((s, d) => s + d.bytes + d.snapshotBytes, 0);
	lines.push(`total ${size(total)} in ${g.docs.length} documents`);
	if (g.writers.length > 0) {
		lines.push('', `largest writers (last ${hours} h)`);
		for (const w of g.writers) lines.push(`${String(w.recentRows).padStart(9)} updates ${size(w.recentBytes).padStart(10)}  ${w.name}`);
	}
	return lines.join('\n');
}
