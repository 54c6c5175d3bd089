/**
 * What a user may do with one document, judged from the store (design.md §2, §4): the name
 * must parse exactly, the document must have a place in the jurisdiction tree, and the
 * user's memberships decide none / read / write. Used by admission (AuthExtension), by the
 * re-judging of open connections (RevocationExtension) and by HTTP routes about documents.
 */
import { type DocName, parseDocName } from '../domain/doc-names.ts';
import { type Access, accessFor, type Membership, type Place } from '../domain/roles.ts';
import { docPlace } from './places.ts';
import type { AsyncStore } from './async-store.ts';

export type DocAccess =
	| { ok: true; name: DocName; place: Place; access: Exclude<Access, 'none'> }
	| { ok: false; reason: 'invalid-document-name' | 'unknown-document' | 'forbidden' };

export async function docAccess(store: AsyncStore, memberships: readonly Membership[], documentName: unknown): Promise<DocAccess> {
	const name = parseDocName(documentName);
	if (!name) return { ok: false, reason: 'invalid-document-name' };
	const place = await docPlace(store, name);
	if (!place) return { ok: false, reason: 'unknown-document' };
	const access = accessFor(memberships, name.kind, place);
	if (access === 'none') return { ok: false, reason: 'forbidden' };
	return { ok: true, name, place, access };
}
