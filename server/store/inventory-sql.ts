/**
 * What a store holds, for migration and verification (`listDocs`, `counts`): the same SQL
 * on SQLite and PostgreSQL, so both stores count the same way.
 */
export const LIST_DOCS = `
SELECT d.doc, COALESCE(u.n, 0) AS updates, COALESCE(u.last_seq, 0) AS last_seq, s.seq AS snapshot_seq
FROM (SELECT doc FROM doc_updates UNION SELECT doc FROM doc_snapshots) d
LEFT JOIN (SELECT doc, COUNT(*) AS n, MAX(seq) AS last_seq FROM doc_updates GROUP BY doc) u ON u.doc = d.doc
LEFT JOIN (SELECT doc, MAX(seq) AS seq FROM doc_snapshots GROUP BY doc) s ON s.doc = d.doc
ORDER BY d.doc`;

export const COUNTS = `
SELECT
	(SELECT COUNT(*) FROM (SELECT doc FROM doc_updates UNION SELECT doc FROM doc_snapshots) d) AS docs,
	(SELECT COUNT(*) FROM doc_updates) AS updates,
	(SELECT COUNT(*) FROM doc_snapshots) AS snapshots,
	(SELECT COUNT(*) FROM users) AS users,
	(SELECT COUNT(*) FROM memberships) AS memberships,
	(SELECT COUNT(*) FROM sessions) AS sessions,
	(SELECT COUNT(*) FROM places) AS places,
	(SELECT COUNT(*) FROM records) AS records`;
