/** Logging in: a wrong password is refused with a message; the language choice persists. */
import { describe, expect, it } from 'vitest';
import { logIn, openGrid, waitForHome, waitForServiceWorker } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';
import { dumpIndexedDb } from './idb.ts';

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

	it('after five wrong passwords says in seconds how long to wait', async () => {
		const page = await f.page();
		const error = page.locator('[data-testid=login-error]');
		// the sixth try meets the delay unless the machine took longer than it between two tries;
		// each admitted failure doubles it, so a few more tries always meet it
		for (let i = 0; i < 10; i++) {
			const answered = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
			await logIn(page, f.server.url, 'demo-police', `wrong-${i}`);
			await answered;
			await error.waitFor();
			if ((await error.textContent())?.includes('次数过多')) break;
		}
		expect(await error.textContent()).toMatch(/登录失败次数过多，请 \d+ 秒后再试/);
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

	it('keeps the session token out of page scripts: not in IndexedDB, storage or document.cookie, and the map syncs under the CSP', async () => {
		const page = await f.page();
		const cspViolations: string[] = [];
		page.on('console', (m) => {
			if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
		});
		const answer = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
		await logIn(page, f.server.url, 'demo-gridworker');
		const { token } = (await (await answer).json()) as { token: string };
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		await page.waitForURL('**/grids');
		await openGrid(page, 'g1');
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');

		const idb = JSON.stringify(await dumpIndexedDb(page));
		expect(idb).toContain('demo-gridworker'); // the cached account is there…
		expect(idb).not.toContain(token); // …without the secret
		const scriptVisible = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
		expect(scriptVisible).not.toContain(token);
		const cookie = (await page.context().cookies()).find((c) => c.name === 'tongxin_session');
		expect(cookie).toMatchObject({ value: token, httpOnly: true });
		expect(cspViolations).toEqual([]);
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
	it('a logout made offline ends the session cookie once the tablet is back online', async () => {
		const page = await f.page();
		const answer = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
		await logIn(page, f.server.url, 'demo-liaison');
		const { token } = (await (await answer).json()) as { token: string };
		await waitForHome(page);
		await waitForServiceWorker(page);
		await page.context().setOffline(true);
		await page.click('[data-testid=logout]');
		await page.waitForURL('**/login');
		await page.waitForSelector('[data-testid=login-form]');
		const sessionCookie = async () => (await page.context().cookies()).find((c) => c.name === 'tongxin_session');
		expect((await sessionCookie())?.value).toBe(token); // offline: nobody could end it yet

		await page.context().setOffline(false);
		await page.waitForFunction(async () => (await fetch('/api/session')).status === 401, undefined, { polling: 250 });
		expect(await sessionCookie()).toBeUndefined();
		const res = await fetch(`${f.server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(401); // ended on the server too, not only forgotten
	});
});
