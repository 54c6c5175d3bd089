/**
 * The change history of a grid as the server answers it (GET /api/docs/:doc/history) and the
 * pure helpers that pick one household's changes and turn values into text.
 */
export interface HistoryChange {
	seq: number;
	at: string;
	userId: string;
	user: string;
	householdId: string | null;
	field: string;
	from?: unknown;
	to?: unknown;
	/** Overwritten by a concurrent change: made, but never the field's value. */
	lost?: boolean;
}

export interface HistoryAnswer {
	doc: string;
	fromSeq: number;
	toSeq: number;
	truncated: boolean;
	/** Older changes exist: ask again with `before: nextBefore` (a server before paging has neither). */
	more?: boolean;
	nextBefore?: number | null;
	changes: HistoryChange[];
}

/** Changes of one household, one page: the newest, or those before `before`. */
export function historyUrl(docName: string, householdId: string, before: number | null): string {
	const q = new URLSearchParams({ household: householdId });
	if (before !== null) q.set('before', String(before));
	return `/api/docs/${encodeURIComponent(docName)}/history?${q}`;
}

/** The `before` of the page after `answer`, or null when it was the oldest. */
export function nextPage(answer: HistoryAnswer): number | null {
	return (answer.more ?? false) && typeof answer.nextBefore === 'number' ? answer.nextBefore : null;
}

/** The changes of one household, newest first as the server sends them. */
export function householdChanges(answer: HistoryAnswer, householdId: string): HistoryChange[] {
	return answer.changes.filter((c) => c.householdId === householdId);
}

/** A stored value as one short line of text; `label` names known values (colours, tags). */
export function valueText(value: unknown, label: (v: string) => string = (v) => v): string {
	if (value === undefined || value === null || value === '') return '—';
	if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => valueText(v, label)).join('、');
	if (typeof value === 'string') return label(value);
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}
