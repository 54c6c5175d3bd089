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
	changes: HistoryChange[];
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
