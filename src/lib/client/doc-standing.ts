/**
 * Whether a page may open the grid or session its address names, before it opens anything:
 * opening an unknown or forbidden document used to show an empty, editable copy that the
 * server then refused. The server says (GET /api/docs/:name/standing) when it answers; without
 * it the device decides from what it holds: a document saved here opens, anything else is
 * "offline, nothing saved on this device".
 *
 * A document the device holds opens at once (no round trip on the common path); the server's
 * later "not found" or "not allowed" still replaces it.
 */
import { buildDocName } from '$lib/domain/doc-names.ts';
import { db } from './db.ts';

export interface Grantor {
	displayName: string;
	role: string;
}

export type Standing =
	| { kind: 'open' }
	| { kind: 'notFound' }
	| { kind: 'forbidden'; placeName: string; askWhom: Grantor[] }
	| { kind: 'offlineNothing' };

export type StandingKind = Standing['kind'];

type Doc = { kind: 'grid'; id: string } | { kind: 'session'; id: string };

const docName = (d: Doc) => (d.kind === 'grid' ? buildDocName({ kind: 'grid', gridId: d.id }) : buildDocName({ kind: 'session', sessionId: d.id }));

/**
 * Whether this device holds the document's content: saved updates in y-dexie's table. A row
 * alone is not enough: the grid and session lists write rows for documents never opened here.
 */
async function held(d: Doc): Promise<boolean> {
	const updates = db().table(`$${d.kind === 'grid' ? 'grids' : 'sessions'}.doc_updates`);
	return (await updates.where('k').equals(d.id).count()) > 0;
}

/** The server's word, or null when it does not give one (offline, unreachable, logged out). */
async function fromServer(name: string): Promise<Standing | null> {
	if (!navigator.onLine) return null;
	try {
		// the session cookie authenticates (same origin)
		const res = await fetch(`/api/docs/${encodeURIComponent(name)}/standing`);
		if (res.ok) return { kind: 'open' };
		if (res.status === 404) return { kind: 'notFound' };
		if (res.status === 403) {
			const body = (await res.json().catch(() => ({}))) as { placeName?: string; askWhom?: Grantor[] };
			return { kind: 'forbidden', placeName: body.placeName ?? '', askWhom: Array.isArray(body.askWhom) ? body.askWhom : [] };
		}
	} catch {
		// unreachable: the device decides
	}
	return null;
}

/**
 * Calls `show` with the standing of a document: 'open' at once when the device holds it, then
 * again if the server says otherwise; returns a function that stops further calls.
 */
export function judgeDoc(d: Doc, show: (s: Standing) => void): () => void {
	let stopped = false;
	const tell = (s: Standing) => {
		if (!stopped) show(s);
	};
	void (async () => {
		let name: string;
		try {
			name = docName(d);
		} catch {
			return tell({ kind: 'notFound' }); // not even a well-formed id
		}
		const onDevice = await held(d).catch(() => false);
		if (onDevice) tell({ kind: 'open' });
		const word = await fromServer(name);
		if (word) {
			if (word.kind !== 'open' || !onDevice) tell(word);
		} else if (!onDevice) tell(navigator.onLine ? { kind: 'open' } : { kind: 'offlineNothing' });
	})();
	return () => {
		stopped = true;
	};
}
