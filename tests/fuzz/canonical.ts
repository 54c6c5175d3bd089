/**
 * Canonical JSON: object keys sorted at every depth. Y.Map iteration order differs between
 * replicas that hold the same content, so documents are compared in this form.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value instanceof Uint8Array) return { bytes: Array.from(value) };
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
		return out;
	}
	return value;
}
