/**
 * Rows of the tables both stores share (same columns in SQLite and PostgreSQL, sqlite-schema.ts
 * and pg-schema.ts) turned into the Store's types, once for both.
 */
import type { Level, Membership, Role } from '../../src/lib/domain/roles.ts';
import type { PlaceRecord, RecordDetails, RecordPlace, SessionRecord, User } from '../../src/lib/server/store.ts';

export type Row = Record<string, unknown>;

export function toMembership(r: Row): Membership {
	const m: Membership = { role: r.role as Role, level: r.level as Level, placeId: r.place_id as string };
	if (typeof r.community_id === 'string') m.communityId = r.community_id;
	return m;
}

export function toUser(r: Row): User {
	return { id: r.id as string, username: r.username as string, displayName: r.display_name as string };
}

export function toSession(r: Row): SessionRecord {
	return {
		id: r.id as string,
		userId: r.user_id as string,
		expiresAt: r.expires_at as number,
		createdAt: r.created_at as number
	};
}

export function toPlace(r: Row): PlaceRecord {
	return { id: r.id as string, level: r.level as Level, parentId: (r.parent_id as string | null) ?? null, name: r.name as string };
}

export const RECORD_COLUMNS = 'kind, id, community_id, title, created_by, created_at, frozen_hash, frozen_at';

export function toRecord(r: Row): RecordDetails {
	return {
		kind: r.kind as RecordPlace['kind'],
		id: r.id as string,
		communityId: r.community_id as string,
		title: r.title as string,
		createdBy: r.created_by as string,
		createdAt: r.created_at as number,
		frozenHash: (r.frozen_hash as string | null) ?? null,
		frozenAt: (r.frozen_at as number | null) ?? null
	};
}
