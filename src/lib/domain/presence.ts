/**
 * Presence (the provider's awareness): who has a document open and where their caret is.
 * The server rewrites every entry (server/collab/PresenceExtension.ts): an entry comes only
 * from its own connection's client id, with the user's id and name as the server knows them
 * and a colour from this palette; the client draws only palette colours (a colour is used as
 * a CSS value, so anything else could make every viewer's browser fetch a URL).
 */

export interface PresenceUser {
	id: string;
	name: string;
	color: string;
	/** The server let this connection only read the document. */
	readOnly?: boolean;
}

export const PRESENCE_PALETTE: readonly string[] = ['#d4380d', '#0958d9', '#389e0d', '#c41d7f', '#7c3aed', '#d48806', '#08979c', '#531dab'];

/** A stable colour per user, the same on every device. */
export function userColour(userId: string): string {
	let h = 0;
	for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PRESENCE_PALETTE[h % PRESENCE_PALETTE.length];
}

/** The colour to draw: `value` when it is one of the palette's, else a neutral grey. */
export function paletteColour(value: unknown): string {
	return typeof value === 'string' && PRESENCE_PALETTE.includes(value) ? value : '#888888';
}

type RelativePositionJson = { type: unknown; tname: unknown; item: unknown; assoc: unknown };

const isId = (v: unknown) =>
	v === null || v === undefined || (typeof v === 'object' && Number.isSafeInteger((v as { client?: unknown }).client) && Number.isSafeInteger((v as { clock?: unknown }).clock));

function relativePosition(v: unknown): RelativePositionJson | null {
	if (typeof v !== 'object' || v === null) return null;
	const p = v as Record<string, unknown>;
	if (!isId(p.type) || !isId(p.item)) return null;
	if (p.tname !== undefined && p.tname !== null && (typeof p.tname !== 'string' || p.tname.length > 64)) return null;
	if (p.assoc !== undefined && !Number.isSafeInteger(p.assoc)) return null;
	const id = (x: unknown) => (x ? { client: (x as { client: number }).client, clock: (x as { clock: number }).clock } : null);
	return { type: id(p.type), tname: p.tname ?? null, item: id(p.item), assoc: p.assoc ?? 0 };
}

/** A caret (y-tiptap's awareness field `cursor`: two relative positions), or null. */
export function presenceCursor(value: unknown): { anchor: RelativePositionJson; head: RelativePositionJson } | null {
	if (typeof value !== 'object' || value === null) return null;
	const anchor = relativePosition((value as { anchor?: unknown }).anchor);
	const head = relativePosition((value as { head?: unknown }).head);
	return anchor && head ? { anchor, head } : null;
}
