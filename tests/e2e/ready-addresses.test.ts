/**
 * Issue 13: a wrong address gets its own clear Chinese page, never an empty grid or a blank,
 * editable session: not found, not allowed (and whom to ask), offline with nothing saved on
 * this device. A forbidden community's sessions are not "offline"; an unknown path is not an
 * English 404.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './fixture.ts';
import { logIn, waitForServiceWorker } from './browser.ts';
import { call } from '../helpers/access.ts';

const f = useServerAndBrowser();

async function loggedIn(username: string): Promise<Page> {
	const page = await f.page();
	await logIn(page, f.server.url, username);
	await page.waitForURL(/\/(grids|liaison|sessions)/);
	return page;
}

const unavailable = (page: Page, kind: string) => page.waitForSelector(`[data-testid=unavailable][data-kind=${kind}]`);

describe('wrong addresses', () => {
	it("another grid's address says not allowed and whom to ask; no empty grid", async () => {
		const page = await loggedIn('demo-gridworker');
		await page.goto(`${f.server.url}/grids/g2`);
		await unavailable(page, 'forbidden');
		const text = await page.textContent('[data-testid=unavailable]');
		expect(text).toContain('您没有权限查看');
		expect(await page.textContent('[data-testid=ask-whom]')).toContain('陈国平');
		expect(await page.locator('[data-testid=household-total]').count()).toBe(0);
		// and on the liaison screen too
		await page.goto(`${f.server.url}/liaison/g2`);
		await unavailable(page, 'forbidden');
		expect(await page.locator('[data-testid=tab-mine]').count()).toBe(0);
	});

	it("an unknown grid's address says not found", async () => {
		const page = await loggedIn('demo-gridworker');
		for (const id of ['g99', 'no such grid']) {
			await page.goto(`${f.server.url}/grids/${encodeURIComponent(id)}`);
			await unavailable(page, 'notFound');
			expect(await page.textContent('[data-testid=unavailable]')).toContain('找不到这个页面');
			expect(await page.locator('[data-testid=household-total]').count()).toBe(0);
		}
	});

	it('an unknown session id says not found, with no editable session', async () => {
		const page = await loggedIn('demo-committee');
		await page.goto(`${f.server.url}/sessions/01JD5Z8M3K7Q2W9X4R6T8V0B1C`);
		await unavailable(page, 'notFound');
		expect(await page.locator('[data-testid=session-page]').count()).toBe(0);
		expect(await page.locator('[data-testid=minutes-editor]').count()).toBe(0);
	});

	it("a forbidden community's sessions say not allowed, not 离线, while online", async () => {
		const page = await loggedIn('demo-committee');
		await page.goto(`${f.server.url}/sessions?community=c2`);
		await unavailable(page, 'forbidden');
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');
		expect(await page.textContent('main')).not.toContain('离线');
		await page.goto(`${f.server.url}/sessions?community=c404`);
		await unavailable(page, 'notFound');
	});

	it('an unknown path says 找不到这个页面 in Chinese', async () => {
		const page = await loggedIn('demo-committee');
		const res = await page.goto(`${f.server.url}/no/such/page`);
		expect(res?.status()).toBe(404);
		await page.waitForSelector('[data-testid=error-page]');
		const text = await page.textContent('body');
		expect(text).toContain('找不到这个页面');
		expect(text).not.toMatch(/Not Found/i);
	});

	it('offline, a grid never opened on this device says so instead of showing an empty grid', async () => {
		const page = await loggedIn('demo-committee');
		await waitForServiceWorker(page);
		await page.context().setOffline(true);
		await page.goto(`${f.server.url}/grids/g3`);
		await unavailable(page, 'offlineNothing');
		expect(await page.textContent('[data-testid=unavailable]')).toContain('本机没有保存');
		expect(await page.locator('[data-testid=household-total]').count()).toBe(0);
		await page.context().setOffline(false);
	});

	it('a disabled account is told so, not that its login expired', async () => {
		const page = await f.tablet('demo-mediator', 'g1');
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');
		const admin = await f.server.login('demo-admin');
		const users = (await call(f.server, admin, 'GET', '/api/admin/users')).body.users as { id: string; username: string }[];
		const id = users.find((u) => u.username === 'demo-mediator')!.id;
		expect((await call(f.server, admin, 'PATCH', `/api/admin/users/${id}`, { disabled: true })).status).toBe(200);
		await page.waitForSelector('[data-testid=account-disabled]');
		expect(await page.textContent('[data-testid=sync-status]')).toContain('账号已被停用');
		expect(await page.locator('[data-testid=session-expired]').count()).toBe(0);
		await call(f.server, admin, 'PATCH', `/api/admin/users/${id}`, { disabled: false });
	});
});
