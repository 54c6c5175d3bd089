/** Logging in: a wrong password is refused with a message; the language choice persists. */
import { describe, expect, it } from 'vitest';
import { logIn } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();

describe('login', () => {
	it('shows an error for a wrong password and stays on the login page', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-gridworker', 'not-the-password');
		const error = page.locator('[data-testid=login-error]');
		await error.waitFor();
		expect(await error.textContent()).toContain('用户名或密码错误');
		expect(new URL(page.url()).pathname).toBe('/login');
	});

	it('switches to English and keeps the choice after a reload', async () => {
		const page = await f.page();
		await page.goto(`${f.server.url}/login`);
		expect(await page.textContent('button[type=submit]')).toContain('登录');
		await page.click('[data-testid=language-switch]');
		expect(await page.textContent('button[type=submit]')).toContain('Log in');
		await page.reload();
		await page.waitForSelector('[data-testid=login-form]');
		expect(await page.textContent('button[type=submit]')).toContain('Log in');
		expect(await page.getAttribute('html', 'lang')).toBe('en');
	});

	it('sends a visitor without a login on this device to the login page', async () => {
		const page = await f.page();
		await page.goto(`${f.server.url}/grids/g1`);
		await page.waitForURL('**/login');
		await page.waitForSelector('[data-testid=login-form]');
	});

	it('logs out: the server session ends and the working area asks for a login again', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-gridworker');
		await page.waitForURL('**/grids');
		expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(200);
		await page.click('[data-testid=logout]');
		await page.waitForURL('**/login');
		expect(await page.locator('[data-testid=continue-offline]').count()).toBe(0);
		expect(await page.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
		await page.goto(`${f.server.url}/grids`);
		await page.waitForURL('**/login');
	});
});
