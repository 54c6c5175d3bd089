import { describe, expect, it } from 'vitest';
import { expectedGridAccess } from './expected-access.ts';

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
