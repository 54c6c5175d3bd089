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

/**
 * Waits for the page a login lands on (src/lib/domain/home.ts): a liaison member's households
 * (/liaison, or straight /liaison/<grid> with a single grid), everyone else's grid list.
 */
export async function waitForHome(page: Page): Promise<void> {
	await page.waitForURL((url) => url.pathname === '/grids' || url.pathname === '/liaison' || url.pathname.startsWith('/liaison/'));
}

/** The grid list, through the header's brand link when the page is elsewhere. */
export async function goToGrids(page: Page): Promise<void> {
	if (new URL(page.url()).pathname !== '/grids') await page.click('header a.brand');
	await page.waitForURL('**/grids');
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

/**
 * The household rows on screen in the list (fully inside its scroller), sorted by id. The
 * list is windowed (src/lib/components/VirtualList.svelte): rows far from the view are not
 * drawn, so pick rows to tap from here; compare whole lists with `registerState`.
 */
export async function listState(page: Page): Promise<RowState[]> {
	const rows = await page.$$eval('[data-testid=household-row]', (els) =>
		els
			.filter((el) => {
				const view = el.closest('ul')!.parentElement!.getBoundingClientRect();
				const r = el.getBoundingClientRect();
				return r.top >= view.top - 0.5 && r.bottom <= view.bottom + 0.5;
			})
			.map((el) => ({
				id: el.getAttribute('data-household-id') ?? '',
				colour: el.getAttribute('data-colour') ?? '',
				text: (el.textContent ?? '').replace(/\s+/g, ' ').trim()
			}))
	);
	return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Every household of the list, scrolled through from top to bottom (see `sweepList`), sorted by id. */
export async function registerState(page: Page): Promise<RowState[]> {
	const rows = await sweepList(page, 'household-list');
	return rows.map(({ id, colour, text }) => ({ id, colour, text })).sort((a, b) => (a.id < b.id ? -1 : 1));
}

export interface SweptRow extends RowState {
	/** Position in the list, from 1 (aria-posinset). */
	position: number;
	/** The row's data-* attributes. */
	data: Record<string, string>;
}

/**
 * Every row of the windowed list `data-testid={list}`, in list order: scrolls its scroller
 * from the top a screen at a time, reads the rows drawn at each step, and puts the scroll
 * position back where it was.
 */
export async function sweepList(page: Page, list: string): Promise<SweptRow[]> {
	return page.evaluate(async (testId) => {
		const ul = document.querySelector(`[data-testid="${testId}"]`)!;
		const scroller = ul.parentElement!;
		const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const seen = new Map<number, SweptRow>();
		const was = scroller.scrollTop;
		scroller.scrollTop = 0;
		await frames();
		for (;;) {
			for (const li of ul.querySelectorAll(':scope > li[aria-posinset]')) {
				const el = li.firstElementChild as HTMLElement;
				seen.set(Number(li.getAttribute('aria-posinset')), {
					position: Number(li.getAttribute('aria-posinset')),
					id: el.getAttribute('data-household-id') ?? '',
					colour: el.getAttribute('data-colour') ?? '',
					text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
					data: { ...el.dataset } as Record<string, string>
				});
			}
			const total = Number(ul.querySelector('li[aria-setsize]')?.getAttribute('aria-setsize') ?? 0);
			const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1;
			if (seen.size >= total || atBottom) break;
			scroller.scrollTop += scroller.clientHeight;
			await frames();
		}
		scroller.scrollTop = was;
		await frames();
		return [...seen.values()].sort((a, b) => a.position - b.position);
	}, list);
}

/**
 * Scrolls the windowed list `data-testid={list}` from its top a screen at a time until a row
 * matching `selector` is drawn; false if none is down to the bottom.
 */
export async function scrollListTo(page: Page, list: string, selector: string): Promise<boolean> {
	return page.evaluate(
		async ([testId, sel]) => {
			const ul = document.querySelector(`[data-testid="${testId}"]`)!;
			const scroller = ul.parentElement!;
			const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
			scroller.scrollTop = 0;
			await frames();
			for (;;) {
				if (ul.querySelector(sel)) return true;
				if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) return false;
				scroller.scrollTop += scroller.clientHeight;
				await frames();
			}
		},
		[list, selector] as const
	);
}

/** How many items the windowed list `data-testid={list}` holds (drawn or not). */
export async function listSize(page: Page, list = 'household-list'): Promise<number> {
	return page.evaluate(
		(testId) => Number(document.querySelector(`[data-testid="${testId}"] > li[aria-setsize]`)?.getAttribute('aria-setsize') ?? 0),
		list
	);
}

export const row = (id: string) => `[data-testid=household-row][data-household-id="${id}"]`;
