/**
 * Errors an API route answers with, as JSON `{ error, message }` and a log line. Routes throw
 * ApiError (or json.ts's BadRequest) and wrap their body in `api()`.
 */
import { json } from '@sveltejs/kit';
import { BadRequest, errorResponse } from './json.ts';
import { isEditNotSaved } from '../doc-editor.ts';
import { getServices } from '../services.ts';
import { isStorageBusy } from '../store.ts';

export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	/** A finer code under `code` (e.g. why a boundary was refused), sent as `issue`. */
	readonly issue: string | undefined;
	constructor(status: number, code: string, message: string, issue?: string) {
		super(message);
		this.status = status;
		this.code = code;
		this.issue = issue;
	}
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'No valid session.');
export const forbidden = (message = 'Your memberships do not allow this.') => new ApiError(403, 'forbidden', message);
export const notFound = (what: string) => new ApiError(404, 'notFound', `No such ${what}.`);

/**
 * Runs a route body; ApiError and BadRequest become their JSON answers (and a log line). A
 * database locked by another process (a backup, the admin CLI) is a 503 `storageBusy` within
 * the store's short busy timeout, and a server-side edit the log refused a 503 `editNotSaved`:
 * the caller may try again, and nothing was half saved behind a 200.
 */
export async function api(route: string, fn: () => Promise<Response> | Response): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof ApiError) {
			if (e.status !== 401) getServices().log('warn', 'http.refused', { route, status: e.status, error: e.code });
			return e.issue ? json({ error: e.code, message: e.message, issue: e.issue }, { status: e.status }) : errorResponse(e.status, e.code, e.message);
		}
		if (e instanceof BadRequest) return errorResponse(e.status, e.code, e.message, e.detail);
		if (isEditNotSaved(e)) {
			getServices().log('error', 'http.editNotSaved', { route, doc: e.doc, busy: e.busy, error: e.cause });
			return retryLater(errorResponse(503, 'editNotSaved', e.message));
		}
		if (isStorageBusy(e)) {
			getServices().log('warn', 'http.storageBusy', { route });
			return retryLater(errorResponse(503, 'storageBusy', 'The database is busy (a backup or maintenance); try again in a moment.'));
		}
		throw e;
	}
}

function retryLater(response: Response): Response {
	response.headers.set('retry-after', '2');
	return response;
}
