/**
 * The admin page (issue 3): an admin creates a user with a role at a grid, who can then log in
 * and sees that grid; a boundary import shows the server's validation error as it says it and
 * then succeeds; a non-admin has no admin link and the server refuses them. The account page
 * lists the user's own logins.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/access.ts';
import { goToGrids, logIn } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();

describe('the admin page', () => {
	it('creates a user who can then log in, and imports a grid boundary with the server judging it', async () => {
		const admin = await f.page();
		await logIn(admin, f.server.url, 'demo-admin');
		await admin.waitForURL('**/grids');
		await admin.click('[data-testid=nav-admin]');
		await admin.waitForSelector('[data-testid=admin-page][data-state=ready]');

		await admin.fill('[data-testid=admin-new-username]', 'e2e-liaison');
		await admin.fill('[data-testid=admin-new-name]', '测试联户员');
		await admin.fill('[data-testid=admin-new-password]', 'liaison-pass-1');
		await admin.selectOption('[data-testid=admin-new-role]', 'liaison');
		await admin.selectOption('[data-testid=admin-new-place]', 'g3');
		await admin.click('[data-testid=admin-create]');
		await admin.waitForSelector('[data-testid=admin-user][data-username=e2e-liaison]');
		expect(await admin.textContent('[data-testid=admin-message]')).toContain('测试联户员');
		const membership = admin.locator('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=membership]');
		expect(await membership.getAttribute('data-place')).toBe('g3');

		// the same username again: the server's answer is shown
		await admin.fill('[data-testid=admin-new-username]', 'e2e-liaison');
		await admin.fill('[data-testid=admin-new-name]', '重复');
		await admin.fill('[data-testid=admin-new-password]', 'liaison-pass-1');
		await admin.click('[data-testid=admin-create]');
		await admin.waitForSelector('[data-testid=admin-error]');
		expect(await admin.textContent('[data-testid=admin-error]')).toContain('用户名已被占用');

		// boundary: an open ring is refused by the server with its reason, a Feature is taken
		const ring = [[120.2, 29.7], [120.21, 29.7], [120.21, 29.71], [120.2, 29.71]];
		await admin.selectOption('[data-testid=boundary-grid]', 'g3');
		await admin.fill('[data-testid=boundary-text]', JSON.stringify({ type: 'Polygon', coordinates: [ring] }));
		await admin.click('[data-testid=boundary-save]');
		await admin.waitForSelector('[data-testid=boundary-error]');
		expect(await admin.textContent('[data-testid=boundary-error]')).toContain('边界未闭合');
		const closed = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } };
		await admin.fill('[data-testid=boundary-text]', JSON.stringify(closed));
		await admin.click('[data-testid=boundary-save]');
		await admin.waitForFunction(() => document.querySelector('[data-testid=admin-message]')?.textContent?.includes('枫源村三组'));

		const user = await f.page();
		await logIn(user, f.server.url, 'e2e-liaison', 'liaison-pass-1');
		await user.waitForURL('**/liaison/g3'); // a liaison member lands on their households
		await goToGrids(user);
		await user.waitForSelector('[data-testid=grid-link][data-grid-id=g3]');
		expect(await user.locator('[data-testid=grid-link]').count()).toBe(1);
		expect(await user.locator('[data-testid=nav-admin]').count()).toBe(0);

		// the admin sees the new user's login and ends it
		await admin.click('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=user-sessions]');
		await admin.waitForSelector('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=user-session-list][data-count="1"]');
		await admin.click('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=user-session-end]');
		await admin.waitForSelector('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=user-session-list][data-count="0"]');
		expect(await user.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);

		// the admin disables the account: it can no longer log in
		await admin.click('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=user-disable]');
		// it asks first, naming whom
		expect(await admin.textContent('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=confirm]')).toContain('停用');
		expect(await admin.getAttribute('[data-testid=admin-user][data-username=e2e-liaison]', 'data-disabled')).toBe('false');
		await admin.click('[data-testid=admin-user][data-username=e2e-liaison] [data-testid=confirm-yes]');
		await admin.waitForSelector('[data-testid=admin-user][data-username=e2e-liaison][data-disabled=true]');
		expect((await call(f.server, null, 'POST', '/api/session', { username: 'e2e-liaison', password: 'liaison-pass-1' })).status).toBe(403);
		const again = await f.page();
		await logIn(again, f.server.url, 'e2e-liaison', 'liaison-pass-1');
		await again.waitForSelector('[data-testid=login-error]');
		expect(await again.textContent('[data-testid=login-error]')).toContain('已停用');
	});

	it('is hidden from non-admins, and the server refuses them', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-committee');
		await page.waitForURL('**/grids');
		expect(await page.locator('[data-testid=nav-admin]').count()).toBe(0);
		await page.goto(`${f.server.url}/admin`);
		await page.waitForSelector('[data-testid=admin-forbidden]');
	});

	it('the account page lists the own logins and ends another one; that tablet is told at once', async () => {
		const other = await f.tablet('demo-mediator', 'g1');
		await other.waitForSelector('[data-testid=sync-status][data-network=online]');
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-mediator');
		await page.waitForURL('**/grids');
		await page.click('[data-testid=nav-account]');
		await page.waitForSelector('[data-testid=session-list]');
		expect(Number(await page.getAttribute('[data-testid=session-list]', 'data-count'))).toBeGreaterThanOrEqual(2);
		expect(await page.locator('[data-testid=auth-session][data-current=true]').count()).toBe(1);
		const before = Number(await page.getAttribute('[data-testid=session-list]', 'data-count'));
		await page.click('[data-testid=auth-session][data-current=false] [data-testid=auth-session-end]');
		await page.waitForSelector(`[data-testid=session-list][data-count="${before - 1}"]`);
		expect(await other.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
		// its open connection was closed as session-revoked: the header asks for a new login
		await other.waitForSelector('[data-testid=session-expired]');
	});
});
