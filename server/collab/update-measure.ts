/**
 * What an incoming update writes, measured from its decoded form (decoded-update.ts) before
 * it is applied: its entries (structs plus deleted ranges) and its largest value or map key.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DecodedUpdate } from './decoded-update.ts';

export interface UpdateMeasure {
	entries: number;
	/** Bytes of the largest value or map key (UTF-8 for strings, JSON for other values). */
	largestValueBytes: number;
}

const encoder = new TextEncoder();
const textBytes = (s: string) => (s.length * 3 <= 1024 ? s.length * 3 : encoder.encode(s).length);

function valueBytes(value: unknown): number {
	if (typeof value === 'string') return textBytes(value);
	if (value instanceof Uint8Array) return value.length;
	if (value === undefined) return 0;
	try {
		return textBytes(JSON.stringify(value) ?? '');
	} catch {
		return Infinity;
	}
}

/** Bytes of one struct's largest value, map key or root name. */
function contentBytes(struct: Y.Item | Y.GC | Y.Skip): number {
	if (!(struct instanceof Y.Item)) return 0;
	const c = struct.content;
	let n = typeof struct.parentSub === 'string' ? textBytes(struct.parentSub) : 0;
	// a decoded update names a root type by its string key
	const parent = struct.parent as unknown;
	if (typeof parent === 'string') n = Math.max(n, textBytes(parent));
	if (c instanceof Y.ContentString) n = Math.max(n, textBytes(c.str));
	else if (c instanceof Y.ContentAny || c instanceof Y.ContentJSON) for (const v of c.arr as unknown[]) n = Math.max(n, valueBytes(v));
	else if (c instanceof Y.ContentBinary) n = Math.max(n, c.content.length);
	else if (c instanceof Y.ContentEmbed) n = Math.max(n, valueBytes(c.embed));
	else if (c instanceof Y.ContentFormat) n = Math.max(n, textBytes(c.key), valueBytes(c.value));
	else if (c instanceof Y.ContentType) {
		const nodeName = (c.type as { nodeName?: unknown }).nodeName;
		if (typeof nodeName === 'string') n = Math.max(n, textBytes(nodeName));
	}
	return n;
}

/**
 * Measures `decoded`. When the update's own size is at most `valueLimit`, no value in it can
 * exceed the limit, so the per-value walk is skipped (the common case: typing, small edits).
 */
export function measureUpdate(decoded: DecodedUpdate, updateBytes: number, valueLimit: number): UpdateMeasure {
	let deleted = 0;
	for (const ranges of decoded.ds.clients.values()) deleted += ranges.length;
	const entries = decoded.structs.length + deleted;
	if (updateBytes <= valueLimit) return { entries, largestValueBytes: 0 };
	let largest = 0;
	for (const s of decoded.structs) largest = Math.max(largest, contentBytes(s));
	return { entries, largestValueBytes: largest };
}

/**
 * The struct count the update's first client group declares, read from its header without
 * decoding anything else (0 when unreadable): refuses a 100,000-entry update before the
 * decode that would cost the server a few hundred milliseconds.
 */
export function declaredEntries(update: Uint8Array): number {
	try {
		const d = decoding.createDecoder(update);
		const groups = decoding.readVarUint(d);
		return groups > 0 ? decoding.readVarUint(d) : 0;
	} catch {
		return 0;
	}
}
