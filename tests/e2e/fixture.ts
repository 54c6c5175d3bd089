/**
 * One real server and one Chromium for a test file, and fresh browser contexts ("tablets").
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';
import { goToGrids, launchBrowser, logIn, newContext, openGrid, waitForHome } from './browser.ts';

export interface Fixture {
	server: TestServer;
	browser: Browser;
	/** A new context and page; closed after the file's tests. */
	page(): Promise<Page>;
	/** A page logged in as `username` with grid `gridId` open. */
	tablet(username: string, gridId: string): Promise<Page>;
}

export function useServerAndBrowser(): Fixture {
	const contexts: BrowserContext[] = [];
	const f = {} as Fixture;
	beforeAll(async () => {
		f.server = await startServer();
		f.browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const c of contexts) await c.close().catch(() => undefined);
		await f.browser?.close();
		await f.server?.stop();
	});
	f.page = async () => {
		const context = await newContext(f.browser);
		contexts.push(context);
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('pageerror:', e.message));
		return page;
	};
	f.tablet = async (username, gridId) => {
		const page = await f.page();
		await logIn(page, f.server.url, username);
		await waitForHome(page);
		await goToGrids(page);
		await openGrid(page, gridId);
		return page;
	};
	return f;
}
