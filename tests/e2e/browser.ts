/**
 * Debian's Chromium through playwright-core, and the steps every end-to-end test repeats:
 * log in through the login page and open a grid.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../helpers/server.ts';

export const VIEWPORT = { width: 1280, height: 800 };

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
}

export async function logIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto(`${baseUrl}/login`);
	await page.fill('input[name=username]', username);
	await page.fill('input[name=password]', password);
	await page.click('button[type=submit]');
}

/** Opens a grid from the grid list and waits for its households and a synced connection. */
export async function openGrid(page: Page, gridId: string): Promise<void> {
	await page.click(`[data-testid=grid-link][data-grid-id=${gridId}]`);
	await page.waitForSelector('[data-testid=household-row]');
	await page.waitForSelector('[data-testid=grid-map][data-ready=true]');
}

/**
 * Waits until the service worker is active and controls the page, so the page can go offline
 * and a reload with no network is answered by the worker.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

export interface RowState {
	id: string;
	colour: string;
	text: string;
}

/** Every household row as the list shows it, sorted by id. */
export async function listState(page: Page): Promise<RowState[]> {
	const rows = await page.$$eval('[data-testid=household-row]', (els) =>
		els.map((el) => ({
			id: el.getAttribute('data-household-id') ?? '',
			colour: el.getAttribute('data-colour') ?? '',
			text: (el.textContent ?? '').replace(/\s+/g, ' ').trim()
		}))
	);
	return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export const row = (id: string) => `[data-testid=household-row][data-household-id="${id}"]`;
