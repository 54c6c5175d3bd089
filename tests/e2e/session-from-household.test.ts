/**
 * From a household on the grid map, a committee member starts a deliberation session about it:
 * the session form comes filled with the household's address and place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, logIn, newContext, openGrid } from './browser.ts';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

afterAll(async () => {
	for (const c of contexts) await c.close().catch(() => undefined);
	await browser?.close();
	await server?.stop();
});

describe('start a session from a household', () => {
	it('fills the form with the household and creates the session there', async () => {
		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('pageerror:', e.message));
		await logIn(page, server.url, 'demo-committee');
		await page.waitForURL('**/grids');
		await openGrid(page, 'g1');
		const first = page.locator('[data-testid=household-row]').first();
		await first.click();
		await page.waitForSelector('[data-testid=start-session]');
		await page.click('[data-testid=start-session]');
		await page.waitForSelector('[data-testid=session-create]');
		const title = await page.inputValue('[data-testid=session-create] input[name=title]');
		const label = await page.inputValue('[data-testid=session-create] input[name=placeLabel]');
		expect(label.length).toBeGreaterThan(0);
		expect(title).toContain(label);
		expect(Number(await page.inputValue('[data-testid=session-create] input[name=lng]'))).toBeCloseTo(120.24, 1);
		await page.click('[data-testid=session-create] button[type=submit]');
		await page.waitForSelector('[data-testid=session-title]');
		expect(await page.textContent('[data-testid=session-title]')).toBe(title);
		expect(await page.textContent('[data-testid=session-page]')).toContain(label);
	});

	it('is not offered to a grid worker, who may not create sessions', async () => {
		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		await logIn(page, server.url, 'demo-gridworker');
		await page.waitForURL('**/grids');
		await openGrid(page, 'g1');
		await page.locator('[data-testid=household-row]').first().click();
		await page.waitForSelector('[data-testid=household-editor], .editor-panel');
		expect(await page.locator('[data-testid=start-session]').count()).toBe(0);
	});
});
