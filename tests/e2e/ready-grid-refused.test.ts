/**
 * Issues 12/14: an edit the server refuses under the grid rules is told to its author. A grid
 * worker's tablet whose clock runs three days ahead changes a household's colour: the colour
 * event's device time lies outside the window the server accepts, so the server closes the grid
 * with reason `grid-rule`. The tablet names the grid and says in plain words that the change was
 * not accepted, keeps it on the device (and stops re-sending it), and after a confirmation
 * discards the grid's unsent changes and opens it again as the server has it.
 */
import { describe, expect, it } from 'vitest';
import { listState, logIn, openGrid, row } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const THREE_DAYS_MS = 3 * 24 * 60 * 60 * 1000;
const refusals = () => f.server.rawOutput().split('\n').filter((l) => l.includes('collab.ruleRefused') && l.includes('grid-rule')).length;

describe('a grid edit the server refuses', () => {
	it('names the grid, keeps the change on the device without re-sending it, and can be discarded to reopen from the server', async () => {
		const page = await f.page();
		await page.clock.install({ time: Date.now() + THREE_DAYS_MS });
		await logIn(page, f.server.url, 'demo-gridworker');
		await page.waitForURL('**/grids');
		await openGrid(page, 'g1');
		const gridName = (await page.textContent('[data-testid=crumb-grid]'))!.trim();
		const [household] = await listState(page);
		const to = ['red', 'orange', 'yellow', 'green'].find((c) => c !== household.colour)!;

		await page.click(row(household.id));
		await page.click(`[data-testid=pick-${to}]`);
		await page.fill('[data-testid=colour-reason]', '上门核实');
		await page.click('[data-testid=change-colour]');

		const notice = page.locator('[data-testid=grid-refused][data-grid-id=g1]');
		await notice.waitFor();
		const text = await notice.textContent();
		expect(text).toContain(`网格「${gridName}」的部分修改未被服务器接受`);
		expect(text).toContain('请联系社区管理员');
		expect(text).not.toMatch(/colour event|device time|in the future/); // no developer strings
		expect(refusals()).toBe(1);
		// kept on the device: the change is still shown and still counted as not on the server
		expect(await page.getAttribute(row(household.id), 'data-colour')).toBe(to);
		expect(Number(await page.getAttribute('[data-testid=sync-status]', 'data-unsynced'))).toBeGreaterThan(0);

		// a reconnect does not send the refused change again
		await page.context().setOffline(true);
		await page.waitForSelector('[data-testid=sync-status][data-network=offline]');
		await page.context().setOffline(false);
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');
		expect(refusals()).toBe(1);
		expect(await page.getAttribute(row(household.id), 'data-colour')).toBe(to);

		// logging out and waiting for sync does not wait for ever for the refused change
		await page.click('[data-testid=logout]');
		await page.click('[data-testid=logout-wait]');
		await page.waitForSelector('[data-testid=logout-syncing]', { state: 'detached' });
		expect(Number(await page.getAttribute('[data-testid=logout-pending]', 'data-pending'))).toBeGreaterThan(0);
		await page.click('[data-testid=logout-cancel]');

		// discard, confirmed: the grid opens again as the server has it, and syncs
		await page.click('[data-testid=grid-refused-discard]');
		expect(await page.textContent('[data-testid=grid-refused]')).toContain('此操作无法撤销');
		await page.click('[data-testid=grid-refused-discard-confirm]');
		await page.waitForSelector(`${row(household.id)}[data-colour=${household.colour}]`);
		await page.waitForSelector('[data-testid=sync-status][data-network=online][data-unsynced="0"]');
		expect(await page.locator('[data-testid=grid-refused]').count()).toBe(0);
	});
});
