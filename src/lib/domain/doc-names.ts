/**
 * Document names: the unit of sync and of access (design.md §2).
 *
 * Every name is built and parsed here and nowhere else. Names arrive from the network, so
 * `parseDocName` is strict: a fixed set of kinds, ids of a bounded length from a small
 * alphabet, nothing else. Anything that does not match exactly is refused as `null`.
 */

export type DocName =
	| { kind: 'grid'; gridId: string }
	| { kind: 'gridRestricted'; gridId: string }
	| { kind: 'session'; sessionId: string }
	| { kind: 'dispute'; disputeId: string }
	| { kind: 'directory'; communityId: string };

export type DocKind = DocName['kind'];

export const DOC_KINDS: readonly DocKind[] = [
	'grid',
	'gridRestricted',
	'session',
	'dispute',
	'directory'
];

/** Ids of places and records: 1–64 characters of letters, digits, `-` and `_`. */
const ID = '[A-Za-z0-9_-]{1,64}';
const ID_RE = new RegExp(`^${ID}$`);

const PATTERNS: ReadonlyArray<[RegExp, (id: string) => DocName]> = [
	[new RegExp(`^grid:(${ID})$`), (gridId) => ({ kind: 'grid', gridId })],
	[new RegExp(`^grid:(${ID}):restricted$`), (gridId) => ({ kind: 'gridRestricted', gridId })],
	[new RegExp(`^session:(${ID})$`), (sessionId) => ({ kind: 'session', sessionId })],
	[new RegExp(`^dispute:(${ID})$`), (disputeId) => ({ kind: 'dispute', disputeId })],
	[new RegExp(`^directory:(${ID})$`), (communityId) => ({ kind: 'directory', communityId })]
];

/**
 * Ids that name a property every plain object has (`__proto__`, `constructor`, `toString`, …)
 * plus `prototype`. They match the alphabet but are refused: a server or client that ever looks
 * an id up in a plain object would otherwise reach Object.prototype instead of a record.
 */
const RESERVED_IDS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function isValidId(id: unknown): id is string {
	return typeof id === 'string' && ID_RE.test(id) && !RESERVED_IDS.has(id);
}

/** The document name for `name`; throws on an invalid id so a bad name is never built. */
export function buildDocName(name: DocName): string {
	const id = docId(name);
	if (!isValidId(id)) throw new Error(`invalid id in document name: ${JSON.stringify(id)}`);
	switch (name.kind) {
		case 'grid':
			return `grid:${id}`;
		case 'gridRestricted':
			return `grid:${id}:restricted`;
		case 'session':
			return `session:${id}`;
		case 'dispute':
			return `dispute:${id}`;
		case 'directory':
			return `directory:${id}`;
	}
}

/** The parsed form of a document name, or `null` when it is not exactly one of ours. */
export function parseDocName(raw: unknown): DocName | null {
	if (typeof raw !== 'string' || raw.length > 100) return null;
	for (const [re, make] of PATTERNS) {
		const m = re.exec(raw);
		if (m) return RESERVED_IDS.has(m[1]) ? null : make(m[1]);
	}
	return null;
}

/** The id a document name carries (grid, session, dispute or community id). */
export function docId(name: DocName): string {
	switch (name.kind) {
		case 'grid':
		case 'gridRestricted':
			return name.gridId;
		case 'session':
			return name.sessionId;
		case 'dispute':
			return name.disputeId;
		case 'directory':
			return name.communityId;
	}
}

export const gridDocName = (gridId: string): string => buildDocName({ kind: 'grid', gridId });
