/** A role with read access to a grid (policeDeputy) sees it and cannot edit it. */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();

describe('a role that may only read a grid', () => {
	it('sees the households of its community but no editing controls', async () => {
		const page = await f.tablet('demo-police', 'g1');
		await page.click('[data-testid=household-row] >> nth=0');
		await page.waitForSelector('[data-testid=field-address]:disabled');
		expect(await page.locator('[data-testid=change-colour]').count()).toBe(0);
		expect(await page.locator('[data-testid=tag-elderly]').isDisabled()).toBe(true);
	});
});
