/**
 * JSON bodies and answers for the HTTP API: every body is parsed and validated here, and a
 * bad one becomes a 400 `{ error, message, field?, issue? }` with a log line, never a 500.
 * `error` is a code the client translates (src/lib/client/api-message.ts); for an invalid body
 * `field` names the first bad field and `issue` what is wrong with it (required, tooShort,
 * tooLong, invalidValue); `message` is English for logs and developers, never shown to users.
 */
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { getServices } from '../services.ts';

/** The largest JSON body the API reads (a grid boundary of 5,000 points fits well inside). */
export const MAX_JSON_BYTES = 512 * 1024;

export interface FieldIssue {
	field: string;
	issue: 'required' | 'tooShort' | 'tooLong' | 'invalidValue';
}

export class BadRequest extends Error {
	readonly code: string;
	readonly status: number;
	readonly detail: FieldIssue | undefined;
	constructor(code: string, message: string, status = 400, detail?: FieldIssue) {
		super(message);
		this.code = code;
		this.status = status;
		this.detail = detail;
	}
}

export function errorResponse(status: number, error: string, message: string, detail?: FieldIssue): Response {
	return json(detail ? { error, message, ...detail } : { error, message }, { status });
}

/** The field and the kind of problem of a zod issue, for the client to say in the user's language. */
function fieldIssue(issue: z.core.$ZodIssue, body: unknown): FieldIssue {
	const field = String(issue.path[0] ?? 'body');
	const missing = issue.path.length > 0 && (body === null || typeof body !== 'object' || (body as Record<string, unknown>)[field] === undefined);
	if (missing) return { field, issue: 'required' };
	const origin = (issue as { origin?: unknown }).origin;
	if ((issue.code === 'too_small' || issue.code === 'too_big') && origin !== 'string' && origin !== 'array') return { field, issue: 'invalidValue' };
	if (issue.code === 'too_small') return { field, issue: (issue as { minimum?: unknown }).minimum === 1 ? 'required' : 'tooShort' };
	if (issue.code === 'too_big') return { field, issue: 'tooLong' };
	return { field, issue: 'invalidValue' };
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
		throw new BadRequest('invalidBody', message, 400, fieldIssue(parsed.error.issues[0], body));
	}
	return parsed.data;
}

/** Runs `fn`, turning a BadRequest into its 4xx answer. */
export async function withBadRequest(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof BadRequest) return errorResponse(e.status, e.code, e.message, e.detail);
		throw e;
	}
}
