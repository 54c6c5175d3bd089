/**
 * The communities whose sessions this user may see, each community's sessions, and creating a
 * session. Lists come from the server when it answers (and are remembered on the device, so
 * the list still shows offline); a new session needs the server, which keeps its record.
 */
import { db, type SessionRow } from './db.ts';

export interface CommunityListing {
	id: string;
	name: string;
	/** What the user may do with this community's sessions. */
	access: 'read' | 'write';
}

export interface SessionListing {
	id: string;
	communityId: string;
	title: string;
	topic: string;
	startsAt: string;
	status: 'upcoming' | 'live' | 'closed';
	chairId: string;
	frozenHash: string | null;
	place: { lng: number; lat: number; label: string } | null;
}

export interface NewSessionForm {
	title: string;
	startsAt: string;
	topic: string;
	place: { lng: number; lat: number; label: string } | null;
	invited: string[];
}

/** A call authenticated by the session cookie (same origin). */
function authorised(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(path, init);
}

export async function listCommunities(): Promise<CommunityListing[]> {
	try {
		const res = await authorised('/api/communities');
		if (res.ok) return (await res.json()) as CommunityListing[];
	} catch {
		// offline
	}
	const rows = await db().sessions.toArray();
	const ids = [...new Set(rows.map((r) => r.communityId).filter(Boolean))].sort();
	return ids.map((id) => ({ id, name: id, access: 'read' }));
}

/**
 * The community's sessions from the server, or those saved on this device when it does not
 * answer; `refused` when the server answered that the community is unknown or not this user's
 * (an answer, not "offline").
 */
export async function listSessions(
	communityId: string
): Promise<{ sessions: SessionListing[]; fromDevice: boolean; refused?: 'notFound' | 'forbidden' }> {
	try {
		const res = await authorised(`/api/communities/${encodeURIComponent(communityId)}/sessions`);
		if (res.ok) {
			const sessions = (await res.json()) as SessionListing[];
			await remember(sessions);
			return { sessions, fromDevice: false };
		}
		if (res.status === 404) return { sessions: [], fromDevice: false, refused: 'notFound' };
		if (res.status === 403) return { sessions: [], fromDevice: false, refused: 'forbidden' };
	} catch {
		// offline: the sessions saved on this device
	}
	const rows = (await db().sessions.where('communityId').equals(communityId).toArray()) as (SessionRow & { listing?: SessionListing })[];
	return { sessions: rows.map((r) => r.listing).filter((l): l is SessionListing => !!l), fromDevice: true };
}

async function remember(sessions: readonly SessionListing[]): Promise<void> {
	const table = db().sessions;
	await db().transaction('rw', table, async () => {
		for (const s of sessions) {
			const n = await table.update(s.id, { title: s.title, communityId: s.communityId, listing: s } as Partial<SessionRow>);
			if (n === 0) await table.add({ id: s.id, title: s.title, communityId: s.communityId, listing: s } as unknown as SessionRow);
		}
	});
}

/** A refusal carries the server's code (and field) for api-message.ts to say in the user's language. */
export type CreateResult = { ok: true; session: SessionListing } | { ok: false; status: number; error: string; field?: string; issue?: string };

export async function createSession(communityId: string, form: NewSessionForm): Promise<CreateResult> {
	let res: Response;
	try {
		res = await authorised(`/api/communities/${encodeURIComponent(communityId)}/sessions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(form)
		});
	} catch {
		return { ok: false, status: 0, error: 'offline' };
	}
	if (!res.ok) {
		const body = (await res.json().catch(() => null)) as { error?: string; field?: string; issue?: string } | null;
		return { ok: false, status: res.status, error: body?.error ?? 'server', field: body?.field, issue: body?.issue };
	}
	const session = (await res.json()) as SessionListing;
	await remember([session]);
	return { ok: true, session };
}

export interface ActionItemListing {
	id: string;
	sessionId: string;
	sessionTitle: string;
	text: string;
	owner: string;
	ownerName: string;
	due: string;
	status: 'open' | 'done';
	overdue: boolean;
	/** Its session's minutes are frozen: it cannot be marked done any more; tell the chair. */
	frozen: boolean;
	chairName: string;
}

/** The community's action items: mine (`owner: 'me'`) or the overdue ones; empty offline. */
export async function listActionItems(communityId: string, filter: { owner?: 'me'; overdue?: boolean }): Promise<ActionItemListing[]> {
	const query = new URLSearchParams();
	if (filter.owner) query.set('owner', filter.owner);
	if (filter.overdue) query.set('overdue', '1');
	try {
		const res = await authorised(`/api/communities/${encodeURIComponent(communityId)}/action-items?${query}`);
		if (res.ok) return (await res.json()) as ActionItemListing[];
	} catch {
		// offline
	}
	return [];
}

export interface MemberListing {
	id: string;
	displayName: string;
	role: string;
	access: 'read' | 'write';
}

/** Who may take part in the community's sessions (for invitations and names); empty offline. */
export async function listMembers(communityId: string): Promise<MemberListing[]> {
	try {
		const res = await authorised(`/api/communities/${encodeURIComponent(communityId)}/members`);
		if (res.ok) return (await res.json()) as MemberListing[];
	} catch {
		// offline
	}
	return [];
}

export interface GridBoundary {
	gridId: string;
	name: string;
	boundary: { type: 'Polygon'; coordinates: number[][][] } | null;
}

/** The boundaries of the community's grids for its map; empty offline. */
export async function listBoundaries(communityId: string): Promise<GridBoundary[]> {
	try {
		const res = await authorised(`/api/communities/${encodeURIComponent(communityId)}/boundaries`);
		if (res.ok) return (await res.json()) as GridBoundary[];
	} catch {
		// offline
	}
	return [];
}
