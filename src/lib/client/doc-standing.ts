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
import { currentToken } from './account.ts';
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

/** Whether this device holds the document: listed by the server before, or with saved updates. */
async function held(d: Doc): Promise<boolean> {
	const database = db();
	const row = (await (d.kind === 'grid' ? database.grids : database.sessions).get(d.id)) as
		| { name?: string; title?: string; communityId?: string; listing?: unknown }
		| undefined;
	if (!row) return false;
	if (row.name || row.title || row.communityId || row.listing) return true;
	const updates = database.table(`$${d.kind === 'grid' ? 'grids' : 'sessions'}.doc_updates`);
	return (await updates.where('k').equals(d.id).count()) > 0;
}

/** The server's word, or null when it does not give one (offline, unreachable, logged out). */
async function fromServer(d: Doc): Promise<Standing | null> {
	if (!navigator.onLine) return null;
	try {
		const token = await currentToken();
		const res = await fetch(`/api/docs/${encodeURIComponent(docName(d))}/standing`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
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
		const onDevice = await held(d).catch(() => false);
		if (onDevice) tell({ kind: 'open' });
		const word = await fromServer(d);
		if (word) {
			if (word.kind !== 'open' || !onDevice) tell(word);
		} else if (!onDevice) tell(navigator.onLine ? { kind: 'open' } : { kind: 'offlineNothing' });
	})();
	return () => {
		stopped = true;
	};
}
