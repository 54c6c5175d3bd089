/**
 * Issue 2 end to end: two tablets on one grid, in sync, offline and back.
 * A real server (child process, temporary SQLite), real WebSockets, Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { listSize, listState, openGrid, registerState, row, waitForServiceWorker } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

/** The page's 'tongxin:map-painted' mark (src/lib/map/painted-mark.ts), once it is recorded. */
async function mapPainted(page: Page): Promise<{ count: number; households: number; source: string }> {
	const handle = await page.waitForFunction(() => {
		const marks = performance.getEntriesByName('tongxin:map-painted', 'mark') as PerformanceMark[];
		return marks.length > 0 && { count: marks.length, ...(marks[0].detail as { households: number; source: string }) };
	});
	return (await handle.jsonValue()) as { count: number; households: number; source: string };
}

describe('one grid on two tablets', () => {
	let a: Page;
	let b: Page;

	beforeAll(async () => {
		a = await f.tablet('demo-gridworker', 'g1');
		b = await f.tablet('demo-gridworker', 'g1');
		await a.waitForSelector(`${syncStatus}[data-network=online]`);
		await b.waitForSelector(`${syncStatus}[data-network=online]`);
	});

	it('shows the map with every household, its legend and its list', async () => {
		const rows = await listSize(a);
		const counts = await Promise.all(
			['red', 'orange', 'yellow', 'green'].map(async (c) => Number(await a.textContent(`[data-testid=count-${c}]`)))
		);
		expect(rows).toBeGreaterThan(0);
		expect(counts.reduce((x, y) => x + y, 0)).toBe(rows);
		// the map marks once that it painted every household, here as they came from the server
		expect(await mapPainted(a)).toEqual({ count: 1, households: rows, source: 'server' });

		// a legend entry hides its colour from the list (and the map) and shows it again
		const orange = counts[1];
		await a.click('[data-testid=legend-orange]');
		expect(await a.locator('[data-testid=household-row][data-colour=orange]').count()).toBe(0);
		expect(await listSize(a)).toBe(rows - orange);
		await a.click('[data-testid=legend-orange]');
		expect(await listSize(a)).toBe(rows);

		mkdirSync('test-results', { recursive: true });
		await a.screenshot({ path: 'test-results/grid-g1-1280x800.png' });
	});

	it("sees the other tablet's field edit and colour change without a reload", async () => {
		const first = (await listState(a))[0];
		await a.click(row(first.id));
		const address = a.locator('[data-testid=field-address]');
		await address.fill('枫桥路1号 已核实');
		await address.press('Enter');
		await b.waitForFunction(
			(sel) => document.querySelector(sel)?.textContent?.includes('枫桥路1号 已核实'),
			row(first.id)
		);

		const to = first.colour === 'red' ? 'orange' : 'red';
		const button = a.locator('[data-testid=change-colour]');
		await a.click(`[data-testid=pick-${to}]`);
		expect(await button.isDisabled()).toBe(true); // no reason yet
		await a.fill('[data-testid=colour-reason]', '独居老人突发疾病');
		expect(await button.isDisabled()).toBe(false);
		await button.click();

		await b.waitForSelector(`${row(first.id)}[data-colour=${to}]`);
		await b.click(row(first.id));
		await b.waitForFunction(
			() => document.querySelector('[data-testid=colour-history]')?.textContent?.includes('独居老人突发疾病')
		);
		const history = await b.textContent('[data-testid=colour-history]');
		expect(history).toContain('李秀英');
		expect(history).toContain('独居老人突发疾病');
		await b.screenshot({ path: 'test-results/household-editor-1280x800.png' });
	});

	it('keeps working offline, survives a reload with no network, and merges when back', async () => {
		await waitForServiceWorker(a);
		const [, second, third] = await listState(a);

		await a.context().setOffline(true);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);
		expect(await a.textContent(syncStatus)).toContain('离线');

		// A edits offline, B edits online at the same time
		await a.click(row(second.id));
		const head = a.locator('[data-testid=field-head]');
		await head.fill('王离线');
		await head.press('Enter');
		await a.click('[data-testid=tag-elderly]');
		await a.waitForSelector('[data-testid=unsynced-count]');
		const pending = Number(await a.getAttribute(syncStatus, 'data-unsynced'));
		expect(pending).toBeGreaterThan(0);

		await b.click(row(third.id));
		const phone = b.locator('[data-testid=field-phone]');
		await phone.fill('13900000000');
		await phone.press('Enter');

		// a reload with no network opens the app shell from the service worker and the grid from IndexedDB
		const response = await a.reload();
		expect(response?.fromServiceWorker()).toBe(true);
		expect(response?.headers()['x-tongxin-shell']).toBe('cache');
		await a.waitForSelector(`${row(second.id)}`);
		expect(await a.textContent(row(second.id))).toContain('王离线');
		// this page load painted the grid from the device's copy
		expect(await mapPainted(a)).toEqual({ count: 1, households: await listSize(a), source: 'device' });
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);
		await a.waitForSelector('[data-testid=unsynced-count]');
		expect(Number(await a.getAttribute(syncStatus, 'data-unsynced'))).toBe(pending);
		await a.screenshot({ path: 'test-results/grid-g1-offline-1280x800.png' });

		// still offline: the login page offers to continue with the login cached on the device,
		// and the grid list comes from the device
		await a.goto(`${f.server.url}/login`);
		await a.click('[data-testid=continue-offline]');
		await a.waitForSelector('[data-testid=grids-offline]');
		await openGrid(a, 'g1');
		expect(await a.textContent(row(second.id))).toContain('王离线');

		// back online: the counter drops to zero and both tablets hold the same register
		await a.context().setOffline(false);
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`);
		await b.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('王离线'), row(second.id));
		await a.click(row(third.id));
		await a.waitForFunction(() => (document.querySelector('[data-testid=field-phone]') as HTMLInputElement | null)?.value === '13900000000');

		const [stateA, stateB] = await Promise.all([registerState(a), registerState(b)]);
		expect(stateA.length).toBe(await listSize(a));
		expect(stateA).toEqual(stateB);
		expect(await b.getAttribute(syncStatus, 'data-unsynced')).toBe('0');
	});

	it('sends edits left on a closed grid from the background, also after a reload', async () => {
		const fourth = (await listState(a))[3];
		await a.context().setOffline(true);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);
		await a.click(row(fourth.id));
		const head = a.locator('[data-testid=field-head]');
		await head.fill('后台同步');
		await head.press('Enter');
		await a.waitForSelector('[data-testid=unsynced-count]');

		// leave the grid, then reload on the grid list: the count stays in the header
		await a.click('header a[href="/grids"] >> nth=1');
		await a.waitForSelector('[data-testid=grid-link]');
		await a.waitForSelector('[data-testid=unsynced-count]');
		await a.reload();
		await a.waitForSelector('[data-testid=grid-link]');
		await a.waitForSelector('[data-testid=unsynced-count]');

		await a.context().setOffline(false);
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`);
		await b.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('后台同步'), row(fourth.id));
	});
});
