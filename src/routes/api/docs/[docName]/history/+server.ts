/**
 * `GET /api/docs/:docName/history?limit=200&before=<seq>&household=<id>` → 200
 * {doc, fromSeq, toSeq, more, truncated, nextBefore, changes}: who changed which household
 * field (and grid metadata) and when, newest first, replayed from the update log
 * (src/lib/server/history.ts). One page replays at most `limit` updates (default 200, at most
 * 500) ending before `before` (default: the newest) and holds at most 500 changes, values cut
 * to a line; `more` says older ones exist, and `nextBefore` is the `before` of the next older
 * page. `household` keeps one household's changes. Each change:
 * {seq, at, userId, user (display name), householdId, field, from?, to?}.
 * 401 without a session; 400 for a malformed name or parameter; 404 unknown or not readable by
 * the caller; 503 while too many histories are being replayed (one worker thread does it);
 * 429 past a user's rate (a replay is heavy work: issue 12 saw three readers slow
 * everyone else down).
 */
import { json } from '@sveltejs/kit';
import { isValidId } from '$lib/domain/doc-names.ts';
import { requireUser } from '$lib/server/admin/guard.ts';
import { docAccess } from '$lib/server/doc-access.ts';
import { DEFAULT_HISTORY_LIMIT, docHistoryFromStore, MAX_HISTORY_LIMIT } from '$lib/server/history.ts';
import { api, ApiError, notFound } from '$lib/server/http/api-error.ts';
import { getServices } from '$lib/server/services.ts';
import { TokenBuckets } from '$lib/server/token-buckets.ts';
import type { RequestHandler } from './$types';

/**
 * History pages per user: a burst for paging back and for the household editor, which asks
 * again after each change of the household it shows, then one a second.
 */
const pages = new TokenBuckets({ burst: 60, perSecond: 1 });

function wholeNumber(raw: string | null, name: string, fallback: number | undefined, max: number): number | undefined {
	if (raw === null) return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError(400, `invalid${name[0].toUpperCase()}${name.slice(1)}`, `${name} must be a whole number from 1 to ${max}.`);
	return n;
}

export const GET: RequestHandler = async ({ locals, params, url }) =>
	api('GET /api/docs/:docName/history', async () => {
		const user = requireUser(locals);
		const { store, log, history: replay } = getServices();
		const judged = await docAccess(store, user.memberships, params.docName);
		if (!judged.ok) {
			if (judged.reason === 'invalid-document-name') throw new ApiError(400, 'invalidDocumentName', 'Not a document name.');
			throw notFound('document');
		}
		const limit = wholeNumber(url.searchParams.get('limit'), 'limit', DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT)!;
		const before = wholeNumber(url.searchParams.get('before'), 'before', undefined, Number.MAX_SAFE_INTEGER);
		const household = url.searchParams.get('household') ?? undefined;
		if (household !== undefined && !isValidId(household)) throw new ApiError(400, 'invalidHousehold', 'Not a household id.');
		if (!pages.take(user.id, 1)) throw new ApiError(429, 'rateLimited', 'Too many history requests; try again in a few seconds.');
		const page = { before, householdId: household };
		let history;
		try {
			// off the main thread when the server provides it (server/history/history-runner.ts)
			history = replay ? await replay(params.docName, limit, page) : await docHistoryFromStore(store, params.docName, limit, page);
		} catch (error) {
			if ((error as Error).name === 'HistoryBusy' || /queued to the limit/.test(String(error)))
				throw new ApiError(503, 'busy', 'The history is being read for many people; try again in a moment.');
			throw error;
		}
		const names = new Map<string, string>();
		for (const id of new Set(history.changes.map((c) => c.userId))) names.set(id, (await store.userById(id))?.displayName ?? id);
		const nameOf = (id: string) => names.get(id) ?? id;
		const changes = history.changes.reverse().map((c) => ({ ...c, user: nameOf(c.userId) }));
		log('info', 'docs.history', { user: user.username, doc: params.docName, before, household, fromSeq: history.fromSeq, toSeq: history.toSeq, changes: changes.length });
		return json({
			doc: params.docName,
			fromSeq: history.fromSeq,
			toSeq: history.toSeq,
			more: history.more,
			truncated: history.truncated,
			nextBefore: history.nextBefore,
			changes
		});
	});
