/**
 * JSON bodies and answers for the HTTP API: every body is parsed and validated here, and a
 * bad one becomes a 400 `{ error, message }` with a log line, never a 500.
 */
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { getServices } from '../services.ts';

export class BadRequest extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.code = code;
	}
}

export function errorResponse(status: number, error: string, message: string): Response {
	return json({ error, message }, { status });
}

/** The request's JSON body validated by `schema`; throws BadRequest with a clear message. */
export async function readJson<T>(request: Request, schema: z.ZodType<T>, route: string): Promise<T> {
	let body: unknown;
	try {
		body = JSON.parse(await request.text());
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

/** Runs `fn`, turning a BadRequest into its 400 answer. */
export async function withBadRequest(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof BadRequest) return errorResponse(400, e.code, e.message);
		throw e;
	}
}
