import { describe, expect, it } from 'vitest';
import { DOC_KINDS, type DocKind } from './doc-names.ts';
import { accessFor, ACCESS_MATRIX, covers, isRole, ROLES, type Access, type Membership, type Place, type Role } from './roles.ts';

/** What each role may do with each kind of document in its own jurisdiction (design.md §2, §4). */
const EXPECTED: Record<Role, Record<DocKind, Access>> = {
	admin: { grid: 'write', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'write' },
	committee: { grid: 'write', gridRestricted: 'none', session: 'write', dispute: 'read', directory: 'write' },
	gridWorker: { grid: 'write', gridRestricted: 'none', session: 'read', dispute: 'none', directory: 'read' },
	liaison: { grid: 'write', gridRestricted: 'none', session: 'read', dispute: 'none', directory: 'read' },
	policeDeputy: { grid: 'read', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'read' },
	mediator: { grid: 'read', gridRestricted: 'write', session: 'write', dispute: 'write', directory: 'read' }
};

const gridG1: Place = { streetId: 'st1', communityId: 'c1', gridId: 'g1' };
const gridG2: Place = { streetId: 'st1', communityId: 'c1', gridId: 'g2' };
const gridG4: Place = { streetId: 'st1', communityId: 'c2', gridId: 'g4' };
const otherStreet: Place = { streetId: 'st2', communityId: 'c9', gridId: 'g9' };
const inCommunity = (kind: DocKind, communityId = 'c1', streetId = 'st1'): Place =>
	kind === 'grid' || kind === 'gridRestricted' ? { streetId, communityId, gridId: communityId === 'c1' ? 'g1' : 'g4' } : { streetId, communityId };

describe('roles', () => {
	it('are the six of the glossary', () => {
		expect([...ROLES].sort()).toEqual(['admin', 'committee', 'gridWorker', 'liaison', 'mediator', 'policeDeputy']);
		expect(isRole('admin')).toBe(true);
		for (const v of ['Admin', 'resident', '', '__proto__', 'toString', null, 3]) expect(isRole(v)).toBe(false);
	});

	it('the matrix covers every role and every document kind', () => {
		expect(ACCESS_MATRIX).toEqual(EXPECTED);
	});

	it('keeps restricted notes from everyone but police, mediators and admins', () => {
		const allowed = ROLES.filter((r) => ACCESS_MATRIX[r].gridRestricted !== 'none');
		expect(allowed.sort()).toEqual(['admin', 'mediator', 'policeDeputy']);
	});
});

describe('accessFor', () => {
	for (const role of ROLES) {
		for (const kind of DOC_KINDS) {
			it(`${role} of street st1 gets ${EXPECTED[role][kind]} on a ${kind} document in st1, none in another street`, () => {
				const m: Membership[] = [{ role, level: 'street', placeId: 'st1' }];
				expect(accessFor(m, kind, inCommunity(kind))).toBe(EXPECTED[role][kind]);
				expect(accessFor(m, kind, inCommunity(kind, 'c2'))).toBe(EXPECTED[role][kind]);
				expect(accessFor(m, kind, { ...otherStreet })).toBe('none');
			});

			it(`${role} of community c1 gets ${EXPECTED[role][kind]} on a ${kind} document of c1, none in c2`, () => {
				const m: Membership[] = [{ role, level: 'community', placeId: 'c1' }];
				expect(accessFor(m, kind, inCommunity(kind))).toBe(EXPECTED[role][kind]);
				expect(accessFor(m, kind, inCommunity(kind, 'c2'))).toBe('none');
			});
		}
	}

	it('a grid-level membership reaches its own grid only, never another grid of its community', () => {
		const worker: Membership[] = [{ role: 'gridWorker', level: 'grid', placeId: 'g1', communityId: 'c1' }];
		expect(accessFor(worker, 'grid', gridG1)).toBe('write');
		expect(accessFor(worker, 'grid', gridG2)).toBe('none');
		expect(accessFor(worker, 'grid', gridG4)).toBe('none');
		expect(accessFor(worker, 'gridRestricted', gridG1)).toBe('none');
		expect(accessFor(worker, 'gridRestricted', gridG2)).toBe('none');
		const police: Membership[] = [{ role: 'policeDeputy', level: 'grid', placeId: 'g1', communityId: 'c1' }];
		expect(accessFor(police, 'gridRestricted', gridG1)).toBe('write');
		expect(accessFor(police, 'gridRestricted', gridG2)).toBe('none');
		expect(accessFor(police, 'grid', gridG2)).toBe('none');
	});

	for (const role of ROLES) {
		for (const kind of ['directory', 'session', 'dispute'] as const) {
			it(`${role} of grid g2 (community c1) gets ${EXPECTED[role][kind]} on a ${kind} document of c1, none in c2`, () => {
				const m: Membership[] = [{ role, level: 'grid', placeId: 'g2', communityId: 'c1' }];
				expect(accessFor(m, kind, { streetId: 'st1', communityId: 'c1' })).toBe(EXPECTED[role][kind]);
				expect(accessFor(m, kind, { streetId: 'st1', communityId: 'c2' })).toBe('none');
			});
		}
	}

	it('grid members read their community\'s directory and sessions (design §2), but no disputes', () => {
		const liaison: Membership[] = [{ role: 'liaison', level: 'grid', placeId: 'g2', communityId: 'c1' }];
		const c1: Place = { streetId: 'st1', communityId: 'c1' };
		expect(accessFor(liaison, 'directory', c1)).toBe('read');
		expect(accessFor(liaison, 'session', c1)).toBe('read');
		expect(accessFor(liaison, 'dispute', c1)).toBe('none');
		expect(covers(liaison[0], c1, 'session')).toBe(true);
		expect(covers(liaison[0], gridG1, 'grid')).toBe(false);
	});

	it('a grid membership without its community reaches no community-level document', () => {
		const liaison: Membership[] = [{ role: 'liaison', level: 'grid', placeId: 'g2' }];
		expect(accessFor(liaison, 'directory', { streetId: 'st1', communityId: 'c1' })).toBe('none');
		expect(accessFor(liaison, 'session', { streetId: 'st1', communityId: 'c1' })).toBe('none');
		expect(accessFor(liaison, 'grid', gridG2)).toBe('write');
	});

	it('a community-level document is not taken for a grid one even if its place names a grid', () => {
		// kind decides, not the shape of the place: a session place never lets a grid id in
		const worker: Membership[] = [{ role: 'gridWorker', level: 'grid', placeId: 'g1', communityId: 'c1' }];
		expect(accessFor(worker, 'session', { streetId: 'st1', communityId: 'c2', gridId: 'g1' })).toBe('none');
	});

	it('a police deputy reads the grid and writes its restricted notes', () => {
		const police: Membership[] = [{ role: 'policeDeputy', level: 'community', placeId: 'c1' }];
		expect(accessFor(police, 'grid', gridG1)).toBe('read');
		expect(accessFor(police, 'gridRestricted', gridG1)).toBe('write');
		expect(accessFor(police, 'gridRestricted', gridG4)).toBe('none');
	});

	it('takes the strongest of several memberships that cover the place', () => {
		const both: Membership[] = [
			{ role: 'mediator', level: 'community', placeId: 'c1' },
			{ role: 'gridWorker', level: 'grid', placeId: 'g1' }
		];
		expect(accessFor(both, 'grid', gridG1)).toBe('write');
		expect(accessFor(both, 'grid', gridG2)).toBe('read');
		expect(accessFor(both, 'gridRestricted', gridG1)).toBe('write');
	});

	it('gives nothing to a user with no memberships', () => {
		for (const kind of DOC_KINDS) expect(accessFor([], kind, inCommunity(kind))).toBe('none');
	});

	it('does not confuse a place id at one level with the same id at another', () => {
		// A community named like a grid must not let a grid membership in.
		const worker: Membership[] = [{ role: 'gridWorker', level: 'grid', placeId: 'x1', communityId: 'c1' }];
		expect(accessFor(worker, 'directory', { streetId: 'x1', communityId: 'x1' })).toBe('none');
		const committee: Membership[] = [{ role: 'committee', level: 'community', placeId: 'x1' }];
		expect(accessFor(committee, 'grid', { streetId: 'st1', communityId: 'c1', gridId: 'x1' })).toBe('none');
	});
});
