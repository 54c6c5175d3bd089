/**
 * A grid member is a member of its community (design.md §2): the liaison of grid g2 (community
 * c1) finds c1's deliberation sessions from the header and opens one read-only, without the
 * form to create one or any editing control; the grid list still offers only its own grid.
 */
import { describe, expect, it } from 'vitest';
import { createSessionApi } from '../helpers/sessions.ts';
import { goToGrids, logIn, waitForHome } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();

describe('a grid member and its community sessions', () => {
	it("lists the community's sessions and opens one read-only", async () => {
		const created = await createSessionApi(f.server, await f.server.login('demo-committee'), { title: '垃圾分类议事会' });
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-liaison');
		await waitForHome(page);
		await goToGrids(page);
		await page.waitForSelector('[data-testid=grid-link]');
		expect(await page.locator('[data-testid=grid-link]').evaluateAll((links) => links.map((a) => a.getAttribute('data-grid-id')))).toEqual(['g2']);

		await page.click('[data-testid=nav-sessions]');
		await page.waitForSelector(`[data-testid=session-link][data-session-id="${created.id}"]`);
		expect(await page.locator('[data-testid=session-create]').count()).toBe(0);

		await page.click(`[data-testid=session-link][data-session-id="${created.id}"]`);
		await page.waitForSelector('[data-testid=session-title]');
		expect(await page.textContent('[data-testid=session-title]')).toBe('垃圾分类议事会');
		await page.waitForSelector('[data-testid=session-page] >> text=只读');
		expect(await page.locator('[data-testid=mark-me-present]').count()).toBe(0);
		expect(await page.locator('[data-testid=session-error], [data-testid=session-refused]').count()).toBe(0);
	});
});
