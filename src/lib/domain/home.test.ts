import { describe, expect, it } from 'vitest';
import { homePath } from './home.ts';

describe('homePath', () => {
	it('sends a liaison member to their households', () => {
		expect(homePath([{ role: 'liaison', level: 'grid', placeId: 'g2' }])).toBe('/liaison');
	});
	it('sends everyone else, and liaison members with another role, to the grids', () => {
		expect(homePath([{ role: 'gridWorker', level: 'grid', placeId: 'g1' }])).toBe('/grids');
		expect(homePath([{ role: 'liaison', level: 'grid', placeId: 'g2' }, { role: 'committee', level: 'community', placeId: 'c1' }])).toBe('/grids');
		expect(homePath([])).toBe('/grids');
	});
});
