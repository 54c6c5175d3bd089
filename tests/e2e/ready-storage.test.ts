/**
 * Issue 13: the app asks the browser for persistent storage, the account page shows whether
 * this device's storage is persistent and how much is used, and edits waiting on a device whose
 * storage the browser may clear come with a warning.
 */
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './fixture.ts';
import { listState, logIn, newContext, openGrid, row, waitForServiceWorker } from './browser.ts';

const f = useServerAndBrowser();

describe('storage the browser may evict', () => {
	it('without persistent storage: the account page says so with the space used, and waiting edits warn', async () => {
		const page = await f.tablet('demo-gridworker', 'g1');
		await waitForServiceWorker(page);
		await page.click('[data-testid=nav-account]');
		await page.waitForSelector('[data-testid=storage-status][data-persisted=false]');
		expect(await page.textContent('[data-testid=storage-status]')).toContain('未设为持久存储');
		expect(await page.textContent('[data-testid=storage-used]')).toMatch(/已用 [\d.]+(千|兆|吉)?字节/);

		await page.goto(`${f.server.url}/grids/g1`);
		await page.waitForSelector('[data-testid=household-row]');
		expect(await page.locator('[data-testid=storage-warning]').count()).toBe(0);
		await page.context().setOffline(true);
		await page.waitForSelector('[data-testid=sync-status][data-network=offline]');
		const [first] = await listState(page);
		await page.click(row(first.id));
		await page.fill('[data-testid=field-phone]', '13900000001');
		await page.press('[data-testid=field-phone]', 'Enter');
		await page.waitForSelector('[data-testid=storage-warning]');
		expect(await page.textContent('[data-testid=storage-warning]')).toContain('不是持久的');
		await page.context().setOffline(false);
		await page.waitForSelector('[data-testid=sync-status][data-unsynced="0"]');
		expect(await page.locator('[data-testid=storage-warning]').count()).toBe(0);
	});

	it('where the browser grants it (as to an installed app), the app asks and the account page says persistent', async () => {
		const context = await newContext(f.browser);
		const page = await context.newPage();
		// Chromium's grant for this profile, the one an installed app gets
		const { targetInfo } = (await (await context.newCDPSession(page)).send('Target.getTargetInfo')) as { targetInfo: { browserContextId?: string } };
		const cdp = await f.browser.newBrowserCDPSession();
		await cdp.send('Browser.grantPermissions', { origin: f.server.url, permissions: ['durableStorage'], browserContextId: targetInfo.browserContextId });
		// count the app's requests for persistent storage
		await page.addInitScript(() => {
			const w = window as unknown as { persistAsked: number };
			w.persistAsked = 0;
			const ask = StorageManager.prototype.persist;
			StorageManager.prototype.persist = function () {
				w.persistAsked++;
				return ask.call(this);
			};
		});
		await logIn(page, f.server.url, 'demo-gridworker');
		await page.waitForURL('**/grids');
		await openGrid(page, 'g1');
		await page.waitForFunction(() => (window as unknown as { persistAsked: number }).persistAsked > 0);
		await page.waitForFunction(async () => (await navigator.storage.persisted()) === true);
		await page.click('[data-testid=nav-account]');
		await page.waitForSelector('[data-testid=storage-status]');
		await page.waitForSelector('[data-testid=storage-status][data-persisted=true]');
		expect(await page.textContent('[data-testid=storage-status]')).toContain('已设为持久存储');
		await context.close();
	});
});
