import { describe, expect, it } from 'vitest';
import { expectedAccess, expectedGridAccess } from './expected-access.ts';

describe('expectedGridAccess', () => {
	it('mirrors the matrix for the grid a membership covers', () => {
		expect(expectedGridAccess([{ role: 'policeDeputy', level: 'community', placeId: 'c1' }], 'g1', 'c1')).toBe('read');
		expect(expectedGridAccess([{ role: 'mediator', level: 'community', placeId: 'c1' }], 'g1', 'c1')).toBe('read');
		expect(expectedGridAccess([{ role: 'committee', level: 'community', placeId: 'c1' }], 'g1', 'c1')).toBe('write');
		expect(expectedGridAccess([{ role: 'liaison', level: 'grid', placeId: 'g2' }], 'g2', 'c1')).toBe('write');
		expect(expectedGridAccess([{ role: 'admin', level: 'street', placeId: 'st1' }], 'g5', 'c2')).toBe('write');
	});

	it('takes the best of several memberships and nothing outside them', () => {
		const m = [
			{ role: 'mediator', level: 'community', placeId: 'c1' },
			{ role: 'gridWorker', level: 'grid', placeId: 'g1' }
		] as const;
		expect(expectedGridAccess(m, 'g1', 'c1')).toBe('write');
		expect(expectedGridAccess(m, 'g2', 'c1')).toBe('read');
		expect(expectedGridAccess(m, 'g4', 'c2')).toBe('none');
		expect(expectedGridAccess([{ role: 'liaison', level: 'grid', placeId: 'g2' }], 'g3', 'c1')).toBe('none');
	});
});

describe('expectedAccess on community-level documents', () => {
	it('a grid membership with its community reads that community\'s sessions and directory, as the server judges', () => {
		const liaison = [{ role: 'liaison', level: 'grid', placeId: 'g2', communityId: 'c1' }] as const;
		expect(expectedAccess(liaison, 'session', { communityId: 'c1' })).toBe('read');
		expect(expectedAccess(liaison, 'directory', { communityId: 'c1' })).toBe('read');
		expect(expectedAccess(liaison, 'dispute', { communityId: 'c1' })).toBe('none');
		expect(expectedAccess(liaison, 'session', { communityId: 'c2' })).toBe('none');
	});

	it('still refuses the other grids of the same community', () => {
		const worker = [{ role: 'gridWorker', level: 'grid', placeId: 'g1', communityId: 'c1' }] as const;
		expect(expectedAccess(worker, 'grid', { communityId: 'c1', gridId: 'g1' })).toBe('write');
		expect(expectedAccess(worker, 'grid', { communityId: 'c1', gridId: 'g2' })).toBe('none');
		expect(expectedAccess(worker, 'gridRestricted', { communityId: 'c1', gridId: 'g2' })).toBe('none');
	});
});
