/**
 * A session the server no longer accepts never costs local work: the tablet keeps editing,
 * says that a new login is needed, and sends everything after the login.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { listState, logIn, openGrid, row } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

/** Replaces the browser's session cookie, as if the server had revoked the session. */
async function forgeToken(page: Page): Promise<void> {
	const context = page.context();
	await context.clearCookies({ name: 'tongxin_session' });
	await context.addCookies([{ name: 'tongxin_session', value: 'a'.repeat(32), url: f.server.url, httpOnly: true, sameSite: 'Lax' }]);
}

describe('an expired session', () => {
	it('keeps the edits made meanwhile and sends them after the next login', async () => {
		const a = await f.tablet('demo-gridworker', 'g1');
		const b = await f.tablet('demo-gridworker', 'g1');
		await a.waitForSelector(`${syncStatus}[data-network=online]`);
		const target = (await listState(a))[5];

		await forgeToken(a);
		await a.reload();
		await a.waitForSelector('[data-testid=session-expired]');
		await a.click(row(target.id));
		const head = a.locator('[data-testid=field-head]');
		await head.fill('过期后修改');
		await head.press('Enter');
		await a.waitForSelector('[data-testid=unsynced-count]');

		await a.click('[data-testid=session-expired]');
		await logIn(a, f.server.url, 'demo-gridworker');
		await a.waitForURL('**/grids');
		await a.waitForSelector(`${syncStatus}[data-unsynced="0"]`);
		expect(await a.locator('[data-testid=session-expired]').count()).toBe(0);
		await b.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('过期后修改'), row(target.id));
		await openGrid(a, 'g1');
		expect(await a.textContent(row(target.id))).toContain('过期后修改');
	});
});
