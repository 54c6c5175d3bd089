/**
 * JSON bodies and answers for the HTTP API: every body is parsed and validated here, and a
 * bad one becomes a 400 `{ error, message }` with a log line, never a 500.
 */
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { getServices } from '../services.ts';

/** The largest JSON body the API reads (a grid boundary of 5,000 points fits well inside). */
export const MAX_JSON_BYTES = 512 * 1024;

export class BadRequest extends Error {
	readonly code: string;
	readonly status: number;
	constructor(code: string, message: string, status = 400) {
		super(message);
		this.code = code;
		this.status = status;
	}
}

export function errorResponse(status: number, error: string, message: string): Response {
	return json({ error, message }, { status });
}

/** The request's JSON body validated by `schema`; throws BadRequest with a clear message. */
export async function readJson<T>(request: Request, schema: z.ZodType<T>, route: string): Promise<T> {
	const declared = Number(request.headers.get('content-length') ?? 0);
	const text = declared > MAX_JSON_BYTES ? null : await request.text();
	if (text === null || text.length > MAX_JSON_BYTES) {
		getServices().log('warn', 'http.badRequest', { route, reason: 'bodyTooLarge', bytes: declared || text?.length });
		throw new BadRequest('bodyTooLarge', `The request body may be at most ${MAX_JSON_BYTES / 1024} KiB.`, 413);
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		getServices().log('warn', 'http.badRequest', { route, reason: 'malformedJson' });
		throw new BadRequest('malformedJson', 'The request body must be JSON.');
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
		getServices().log('warn', 'http.badRequest', { route, reason: 'invalidBody', message });
		throw new BadRequest('invalidBody', message);
	}
	return parsed.data;
}

/** Runs `fn`, turning a BadRequest into its 4xx answer. */
export async function withBadRequest(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof BadRequest) return errorResponse(e.status, e.code, e.message);
		throw e;
	}
}
