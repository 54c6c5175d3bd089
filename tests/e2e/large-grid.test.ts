/**
 * A town-sized grid on a tablet: 2,400 households added to grid g5 through a real provider.
 * The household list is windowed (src/lib/components/VirtualList.svelte): it draws only the
 * rows near the view, yet scrolls to the last household, which opens in the editor; its
 * filters narrow it; and a household added or edited on another device does not move what
 * the tablet is looking at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COLOURS } from '../../src/lib/domain/colours.ts';
import { addHousehold, HOUSEHOLD_TAGS, listHouseholds, updateHousehold, type Household } from '../../src/lib/domain/grid-doc.ts';
import { connect, waitAcknowledged, waitFor, type Client } from '../helpers/collab.ts';
import { listSize, row } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const ADDED = 2400;
/** The list's order (GridStore): addresses with numbers compared as numbers, then ids. */
const byAddress = new Intl.Collator('zh-CN', { numeric: true });
const inListOrder = (a: Household, b: Household) => byAddress.compare(a.address, b.address) || (a.id < b.id ? -1 : 1);

/** The list's scroller: the scroll position, its height and what the whole list measures. */
const scroller = (page: Page) =>
	page.$eval('[data-testid=household-list]', (ul) => {
		const s = ul.parentElement!;
		return { top: s.scrollTop, height: s.clientHeight, scrollHeight: s.scrollHeight };
	});

/** Where row `id` stands relative to the top of the list's scroller (px), or null if not drawn. */
const rowTop = (page: Page, id: string) =>
	page.evaluate((sel) => {
		const el = document.querySelector(sel);
		if (!el) return null;
		return el.getBoundingClientRect().top - el.closest('ul')!.parentElement!.getBoundingClientRect().top;
	}, row(id));

describe('a grid of thousands of households', () => {
	let writer: Client;
	let households: Household[];
	let page: Page;

	beforeAll(async () => {
		writer = connect(f.server.wsUrl, 'grid:g5', await f.server.login('demo-admin'));
		await waitFor(() => writer.provider.isSynced, 'grid g5 to sync');
		const existing = listHouseholds(writer.doc);
		const lng = existing.reduce((s, h) => s + h.lng, 0) / existing.length;
		const lat = existing.reduce((s, h) => s + h.lat, 0) / existing.length;
		writer.doc.transact(() => {
			for (let i = 0; i < ADDED; i++) {
				addHousehold(
					writer.doc,
					{
						address: `枫桥镇大屋村${(i % 20) + 1}组${i + 1}号`,
						lng: lng + ((i % 50) - 25) * 0.00002,
						lat: lat + (Math.floor(i / 50) - 24) * 0.00002,
						head: `户主${i + 1}`,
						size: (i % 6) + 1,
						phone: '',
						tags: HOUSEHOLD_TAGS.filter((_, t) => (i + t) % 7 === 0),
						colour: COLOURS[i % 4]
					},
					'u-demo-admin',
					'2026-11-23T08:00:00.000Z',
					`big${String(i).padStart(5, '0')}`
				);
			}
		});
		await waitAcknowledged(writer, 60_000);
		households = listHouseholds(writer.doc).sort(inListOrder);
		page = await f.tablet('demo-admin', 'g5');
	});
	afterAll(() => writer?.destroy());

	it('draws far fewer rows than households, scrolls by wheel to the last one and opens it in the editor', async () => {
		const total = households.length;
		expect(total).toBeGreaterThan(ADDED);
		await page.waitForFunction(
			(n) => Number(document.querySelector('[data-testid=household-list] > li[aria-setsize]')?.getAttribute('aria-setsize')) === n,
			total
		);
		expect(await page.textContent('[data-testid=household-total]')).toContain(String(total));
		const drawn = await page.locator('[data-testid=household-row]').count();
		expect(drawn).toBeGreaterThan(0);
		expect(drawn).toBeLessThan(100);
		expect(await page.getAttribute(`${row(households[0].id)} >> xpath=..`, 'aria-posinset')).toBe('1');

		// the wheel over the list, a few screens at a time, until the last household is drawn
		const last = households[total - 1];
		await page.hover(row(households[0].id));
		for (let i = 0; i < 400 && (await page.locator(row(last.id)).count()) === 0; i++) await page.mouse.wheel(0, 4000);
		await page.waitForFunction(() => {
			const ul = document.querySelector('[data-testid=household-list]')!;
			const s = ul.parentElement!;
			return s.scrollTop + s.clientHeight >= s.scrollHeight - 1;
		});
		expect(await page.getAttribute(`${row(last.id)} >> xpath=..`, 'aria-posinset')).toBe(String(total));
		expect(await page.locator('[data-testid=household-row]').count()).toBeLessThan(100);

		// the scrollbar stands for every household: the list is as long as all its rows
		const { scrollHeight, height } = await scroller(page);
		const rowHeight = (await page.locator(row(last.id)).boundingBox())!.height;
		expect(Math.abs(scrollHeight - total * rowHeight)).toBeLessThan(rowHeight);
		// and the last row is on screen, at the bottom
		const top = (await rowTop(page, last.id))!;
		expect(top + rowHeight).toBeLessThanOrEqual(height + 1);

		await page.click(row(last.id));
		expect(await page.inputValue('[data-testid=field-address]')).toBe(last.address);
		expect(await page.inputValue('[data-testid=field-head]')).toBe(last.head);
		expect(await page.getAttribute(row(last.id), 'class')).toContain('selected');
		await page.keyboard.press('Escape');
	});

	it('narrows with the search text and the colour toggles', async () => {
		const total = households.length;
		const search = page.locator('input[type=search]');
		const target = households.find((h) => h.address === '枫桥镇大屋村7组1207号')!;
		await search.fill('大屋村7组1207号');
		expect(await listSize(page)).toBe(1);
		expect(await page.locator('[data-testid=household-row]').count()).toBe(1);
		await page.click(row(target.id));
		expect(await page.inputValue('[data-testid=field-address]')).toBe(target.address);
		await page.keyboard.press('Escape');
		await search.fill('');
		expect(await listSize(page)).toBe(total);

		const red = households.filter((h) => h.colour === 'red').length;
		await page.click('[data-testid=legend-red]');
		expect(await listSize(page)).toBe(total - red);
		expect(await page.locator('[data-testid=household-row][data-colour=red]').count()).toBe(0);
		await page.click('[data-testid=legend-red]');
		expect(await listSize(page)).toBe(total);
	});

	it('Tab walks the rows past the ones first drawn, and Enter opens the focused one', async () => {
		await page.$eval('[data-testid=household-list]', (ul) => (ul.parentElement!.scrollTop = 0));
		await page.waitForFunction(() => document.querySelector('[data-testid=household-list] > li[aria-posinset="1"]'));
		const drawn = await page.locator('[data-testid=household-row]').count();
		await page.focus(row(households[0].id));
		const steps = drawn + 20;
		for (let i = 0; i < steps; i++) {
			await page.keyboard.press('Tab');
			await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
		}
		const focused = households[steps];
		expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.householdId)).toBe(focused.id);
		expect(await page.evaluate(() => document.activeElement!.parentElement!.getAttribute('aria-posinset'))).toBe(String(steps + 1));
		await page.keyboard.press('Enter');
		expect(await page.inputValue('[data-testid=field-address]')).toBe(focused.address);
		await page.keyboard.press('Escape');
	});

	it('a household chosen on the map comes into view in the list', async () => {
		await page.$eval('[data-testid=household-list]', (ul) => (ul.parentElement!.scrollTop = 0));
		await page.waitForFunction(() => performance.getEntriesByName('tongxin:map-painted', 'mark').length > 0);
		// a tap in the middle of the map, among the added households
		const box = (await page.locator('[data-testid=grid-map]').boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await page.waitForSelector('[data-testid=field-address]');
		const address = await page.inputValue('[data-testid=field-address]');
		const index = households.findIndex((h) => h.address === address);
		expect(index).toBeGreaterThanOrEqual(0);
		const chosen = households[index];
		await page.waitForSelector(`${row(chosen.id)}.selected`);
		const top = (await rowTop(page, chosen.id))!;
		const { top: scrolled, height } = await scroller(page);
		expect(top).toBeGreaterThanOrEqual(-1);
		const rowHeight = (await page.locator(row(chosen.id)).boundingBox())!.height;
		expect(top + rowHeight).toBeLessThanOrEqual(height + 1);
		if (index > 30) expect(scrolled).toBeGreaterThan(0);
		await page.keyboard.press('Escape');
	});

	it('holds its view while another device adds a household above it and edits the row on top', async () => {
		const total = households.length;
		await page.$eval('[data-testid=household-list]', (ul) => (ul.parentElement!.scrollTop = 1000 * 52.5));
		// scrolled, and the rows for the new position drawn (the list draws them on the next frame)
		await page.waitForFunction(() => {
			const ul = document.querySelector('[data-testid=household-list]')!;
			const view = ul.parentElement!.getBoundingClientRect();
			if (ul.parentElement!.scrollTop === 0) return false;
			return [...ul.querySelectorAll<HTMLElement>('[data-testid=household-row]')].some((el) => {
				const top = el.getBoundingClientRect().top;
				return top >= view.top && top < view.bottom;
			});
		});
		// the row at the top of the view
		const topId = await page.evaluate(() => {
			const ul = document.querySelector('[data-testid=household-list]')!;
			const view = ul.parentElement!.getBoundingClientRect();
			const rows = [...ul.querySelectorAll<HTMLElement>('[data-testid=household-row]')];
			return rows.find((el) => el.getBoundingClientRect().top >= view.top)!.dataset.householdId!;
		});
		const before = (await rowTop(page, topId))!;

		addHousehold(
			writer.doc,
			{ address: '阿里村1号', lng: households[0].lng, lat: households[0].lat, head: '新住户', size: 1, phone: '', tags: [], colour: 'green' },
			'u-demo-admin'
		);
		await page.waitForFunction(
			(n) => Number(document.querySelector('[data-testid=household-list] > li[aria-setsize]')?.getAttribute('aria-setsize')) === n,
			total + 1
		);
		expect(await rowTop(page, topId)).toBeCloseTo(before, 0);

		updateHousehold(writer.doc, topId, { head: '远程修改' });
		await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('远程修改'), row(topId));
		expect(await rowTop(page, topId)).toBeCloseTo(before, 0);
	});
});
