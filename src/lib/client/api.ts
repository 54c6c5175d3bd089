/**
 * JSON calls to the server's HTTP API, authenticated by the session cookie. Every failure comes
 * back as a value ({status, error, message}; status 0 when the server is unreachable), so
 * pages can show the server's own message.
 */
export interface ApiFailure {
	status: number;
	/** A code; show it with api-message.ts's apiErrorMessage, never raw. */
	error: string;
	message: string;
	field?: string;
	issue?: string;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | ({ ok: false } & ApiFailure);

export async function apiCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
	const headers: Record<string, string> = {};
	if (body !== undefined) headers['content-type'] = 'application/json';
	let res: Response;
	try {
		res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	} catch (e) {
		return { ok: false, status: 0, error: 'offline', message: String(e) };
	}
	const parsed = res.status === 204 ? null : await res.json().catch(() => null);
	if (res.ok) return { ok: true, status: res.status, data: parsed as T };
	const err = (parsed ?? {}) as { error?: string; message?: string; field?: string; issue?: string };
	return { ok: false, status: res.status, error: err.error ?? `http${res.status}`, message: err.message ?? res.statusText, field: err.field, issue: err.issue };
}
