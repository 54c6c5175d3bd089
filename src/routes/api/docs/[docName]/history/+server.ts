/**
 * `GET /api/docs/:docName/history?limit=500` → 200 {doc, fromSeq, toSeq, truncated, changes}:
 * who changed which household field (and grid metadata) and when, newest first, replayed from
 * the update log (src/lib/server/history.ts). Only the last `limit` updates (default 500, at
 * most 2000) are replayed; `truncated` says older ones exist. Each change:
 * {seq, at, userId, user (display name), householdId, field, from?, to?}.
 * 401 without a session; 400 for a malformed name; 404 unknown or not readable by the caller.
 */
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/admin/guard.ts';
import { docAccess } from '$lib/server/doc-access.ts';
import { DEFAULT_HISTORY_LIMIT, docHistory, MAX_HISTORY_LIMIT } from '$lib/server/history.ts';
import { api, ApiError, notFound } from '$lib/server/http/api-error.ts';
import { getServices } from '$lib/server/services.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, params, url }) =>
	api('GET /api/docs/:docName/history', () => {
		const user = requireUser(locals);
		const { store, log } = getServices();
		const judged = docAccess(store, user.memberships, params.docName);
		if (!judged.ok) {
			if (judged.reason === 'invalid-document-name') throw new ApiError(400, 'invalidDocumentName', 'Not a document name.');
			throw notFound('document');
		}
		const raw = url.searchParams.get('limit');
		const limit = raw === null ? DEFAULT_HISTORY_LIMIT : Number(raw);
		if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT)
			throw new ApiError(400, 'invalidLimit', `limit must be a whole number from 1 to ${MAX_HISTORY_LIMIT}.`);
		const history = docHistory(store, params.docName, limit);
		const names = new Map<string, string>();
		const nameOf = (id: string) => {
			if (!names.has(id)) names.set(id, store.userById(id)?.displayName ?? id);
			return names.get(id)!;
		};
		const changes = history.changes.reverse().map((c) => ({ ...c, user: nameOf(c.userId) }));
		log('info', 'docs.history', { user: user.username, doc: params.docName, updates: history.fromSeq === 0 ? 0 : history.toSeq - history.fromSeq + 1, changes: changes.length });
		return json({ doc: params.docName, fromSeq: history.fromSeq, toSeq: history.toSeq, truncated: history.truncated, changes });
	});
