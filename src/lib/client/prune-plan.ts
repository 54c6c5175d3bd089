/**
 * Which local copies a device removes after a login: those the server now says the user may
 * not open (`none`, also for names it does not know). A copy still holding another user's
 * edits that never reached the server is kept for that user's next login rather than lost.
 */
export type DocAccess = 'none' | 'read' | 'write';

export interface HeldDoc {
	name: string;
	/** Edits on this device the server does not hold yet. */
	pendingEdits: number;
	/** Who made those edits, when known. */
	pendingBy?: string;
}

export interface PrunePlan {
	drop: string[];
	/** Unreadable for this user, but kept for the unsent edits of the user who made them. */
	keptForOthers: string[];
}

export function prunePlan(held: readonly HeldDoc[], access: Readonly<Record<string, DocAccess>>, userId: string): PrunePlan {
	const plan: PrunePlan = { drop: [], keptForOthers: [] };
	for (const doc of held) {
		const verdict = Object.hasOwn(access, doc.name) ? access[doc.name] : 'none';
		if (verdict !== 'none') continue;
		if (doc.pendingEdits > 0 && doc.pendingBy !== undefined && doc.pendingBy !== userId) plan.keptForOthers.push(doc.name);
		else plan.drop.push(doc.name);
	}
	return plan;
}

/** Splits names into the batches the access API takes (at most `size` each). */
export function batches<T>(items: readonly T[], size = 500): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
