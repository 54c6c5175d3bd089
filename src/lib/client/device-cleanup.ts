/**
 * After a login: ask the server what the user may do with every document this device holds
 * (POST /api/docs/access) and remove the local copies they may no longer open, so that a
 * taken membership or a new user on a shared tablet leaves nothing readable behind.
 */
import { buildDocName, gridDocName, parseDocName } from '$lib/domain';
import { db } from './db.ts';
import { dropGrid } from './grid-session.ts';
import { batches, prunePlan, type DocAccess, type HeldDoc } from './prune-plan.ts';

async function heldDocs(): Promise<HeldDoc[]> {
	const database = db();
	const [grids, sessions, states] = await Promise.all([
		database.grids.toCollection().primaryKeys(),
		database.sessions.toCollection().primaryKeys(),
		database.syncState.toArray()
	]);
	const state = new Map(states.map((s) => [s.docName, s]));
	const names = [
		...grids.map((id) => gridDocName(String(id))),
		...sessions.map((id) => buildDocName({ kind: 'session', sessionId: String(id) }))
	];
	return names.map((name) => ({ name, pendingEdits: state.get(name)?.pendingEdits ?? 0, pendingBy: state.get(name)?.userId }));
}

async function dropDoc(name: string): Promise<void> {
	const parsed = parseDocName(name);
	const database = db();
	if (parsed?.kind === 'grid') return dropGrid(parsed.gridId);
	if (parsed?.kind === 'session') {
		await database.sessions.delete(parsed.sessionId);
		await database.table('$sessions.doc_updates').where('k').equals(parsed.sessionId).delete();
		await database.syncState.delete(name);
	}
}

/**
 * Removes the local copies this user may not open. Returns how many were removed, or null
 * when the server could not be asked (they stay until a later login can).
 */
export async function pruneUnreadableDocs(userId: string): Promise<number | null> {
	const held = await heldDocs();
	if (held.length === 0) return 0;
	const access: Record<string, DocAccess> = {};
	try {
		for (const batch of batches(held.map((d) => d.name))) {
			const res = await fetch('/api/docs/access', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ docs: batch })
			});
			if (!res.ok) return null;
			Object.assign(access, ((await res.json()) as { access: Record<string, DocAccess> }).access);
		}
	} catch {
		return null;
	}
	const plan = prunePlan(held, access, userId);
	for (const name of plan.drop) await dropDoc(name);
	return plan.drop.length;
}
