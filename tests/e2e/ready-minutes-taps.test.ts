/**
 * Issue 13, "ready for real hands": the minutes take input after switching agenda items, for
 * the chair and a participant; three quick taps on 保存走访 record one visit and one set of
 * points, online and offline.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './fixture.ts';
import { logIn, waitForServiceWorker } from './browser.ts';

const f = useServerAndBrowser();
const editor = '[data-testid=minutes-editor]';

async function loggedIn(username: string): Promise<Page> {
	const page = await f.page();
	await logIn(page, f.server.url, username);
	await page.waitForURL(/\/(grids|liaison|sessions)/);
	return page;
}

async function select(page: Page, title: string): Promise<void> {
	await page.click(`[data-testid=agenda-item]:has-text("${title}") button.title`);
	await page.waitForFunction((t) => document.querySelector('[data-testid=agenda-item][class*=selected]')?.textContent?.includes(t), title);
}

const minutesHas = (page: Page, text: string) =>
	page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent?.includes(t), [editor, text] as const);

describe('minutes after switching agenda items', () => {
	it('chair and participant type into the second item, then the first again, and both see every word', async () => {
		const chair = await loggedIn('demo-committee');
		const police = await loggedIn('demo-police');
		await chair.goto(`${f.server.url}/sessions`);
		await chair.fill('[data-testid=session-create] input[name=title]', '两项议题的议事会');
		await chair.fill('[data-testid=session-create] input[name=placeLabel]', '社区活动室');
		await chair.waitForSelector('[data-testid=invite-member]');
		await chair.check('[data-testid=invite-member][value=u-demo-police]');
		await chair.click('[data-testid=session-create] button[type=submit]');
		await chair.waitForURL('**/sessions/*');
		await chair.waitForSelector('[data-testid=session-start]');
		await chair.click('[data-testid=session-start]');
		for (const title of ['停车位', '垃圾分类']) {
			await chair.fill('[data-testid=agenda-title]', title);
			await chair.click('[data-testid=agenda-add]');
			await chair.waitForSelector(`[data-testid=agenda-item]:has-text("${title}")`);
		}
		await police.goto(chair.url());
		await police.waitForSelector('[data-testid=session-page][data-status=live]');
		await police.waitForSelector('[data-testid=agenda-item]:has-text("垃圾分类")');

		// the first item, then the second: both type into the second
		await select(chair, '停车位');
		await chair.click(editor);
		await chair.keyboard.type('一号议题纪要');
		await select(chair, '垃圾分类');
		expect(await chair.getAttribute(editor, 'contenteditable')).toBe('true');
		await chair.click(editor);
		await chair.keyboard.type('主持人：分类投放');
		await minutesHas(chair, '主持人：分类投放');

		await select(police, '停车位');
		await minutesHas(police, '一号议题纪要');
		await select(police, '垃圾分类');
		await minutesHas(police, '主持人：分类投放');
		expect(await police.getAttribute(editor, 'contenteditable')).toBe('true');
		await police.click(editor);
		await police.keyboard.press('End');
		await police.keyboard.type('；警务：夜间巡查');
		await minutesHas(police, '警务：夜间巡查');
		await minutesHas(chair, '警务：夜间巡查');

		// and back to the first item: still editable
		await select(chair, '停车位');
		await chair.click(editor);
		await chair.keyboard.press('End');
		await chair.keyboard.type('（补充）');
		await minutesHas(chair, '一号议题纪要（补充）');
		await select(police, '停车位');
		await minutesHas(police, '一号议题纪要（补充）');
	});
});

describe('one tap, one record', () => {
	async function liaison(): Promise<Page> {
		const page = await loggedIn('demo-liaison');
		await page.goto(`${f.server.url}/liaison/g2`);
		await page.waitForSelector('[data-testid=due-row]');
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');
		return page;
	}

	async function points(page: Page): Promise<number> {
		await page.click('[data-testid=tab-points]');
		await page.waitForSelector('[data-testid=points-total]');
		const n = Number(await page.getAttribute('[data-testid=points-total]', 'data-total'));
		await page.click('[data-testid=tab-mine]');
		await page.waitForSelector('[data-testid=due-row]');
		return n;
	}

	/** Three taps on save in one go, before the page can redraw the button as disabled. */
	async function tripleTap(page: Page, householdId: string, note: string): Promise<void> {
		await page.click(`[data-testid=due-row][data-household-id="${householdId}"]`);
		await page.waitForSelector(`[data-testid=visit-form][data-household-id="${householdId}"]`);
		await page.fill('[data-testid=visit-note]', note);
		await page.evaluate(() => {
			const b = document.querySelector<HTMLButtonElement>('[data-testid=visit-save]')!;
			b.click();
			b.click();
			b.click();
		});
		await page.waitForSelector('[data-testid=visit-saved]');
		// a fourth, slower tap: the button says it is done
		expect(await page.isDisabled('[data-testid=visit-save]')).toBe(true);
	}

	const historyCount = (page: Page, note: string) =>
		page.$$eval('[data-testid=visit-history] li', (els, n) => els.filter((e) => e.textContent?.includes(n)).length, note);

	it('three quick taps on 保存走访 record one visit and two points, online and offline', async () => {
		const page = await liaison();
		await waitForServiceWorker(page);
		const before = await points(page);
		const ids = await page.$$eval('[data-testid=due-row]', (els) => els.map((e) => e.getAttribute('data-household-id') ?? ''));

		await tripleTap(page, ids[0], '三连击在线');
		expect(await historyCount(page, '三连击在线')).toBe(1);

		await page.context().setOffline(true);
		await page.waitForSelector('[data-testid=sync-status][data-network=offline]');
		await tripleTap(page, ids[1], '三连击离线');
		expect(await historyCount(page, '三连击离线')).toBe(1);
		await page.context().setOffline(false);
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');

		expect(await points(page)).toBe(before + 4); // two in-person visits, 2 points each

		// another device sees one visit each after sync
		const other = await liaison();
		await other.click(`[data-testid=due-row][data-household-id="${ids[1]}"]`);
		await other.waitForFunction(() => document.querySelector('[data-testid=visit-history]')?.textContent?.includes('三连击离线'));
		expect(await historyCount(other, '三连击离线')).toBe(1);
		expect(await points(other)).toBe(before + 4);

		// a new visit after changing the form is a new record
		await page.fill('[data-testid=visit-note]', '第二次走访');
		expect(await page.isDisabled('[data-testid=visit-save]')).toBe(false);
	});

	it('a double tap on 发布 posts one wish', async () => {
		const page = await liaison();
		await page.click('[data-testid=tab-wishes]');
		await page.waitForSelector('[data-testid=wish-new]');
		const options = await page.$$eval('[data-testid=wish-household] option', (els) => els.map((e) => (e as HTMLOptionElement).value).filter(Boolean));
		await page.selectOption('[data-testid=wish-household]', options[0]);
		await page.fill('[data-testid=wish-text]', '需要轮椅一台');
		await page.evaluate(() => {
			const b = document.querySelector<HTMLButtonElement>('[data-testid=wish-post]')!;
			b.click();
			b.click();
			b.click();
		});
		await page.waitForSelector('[data-testid=wish-card]:has-text("需要轮椅一台")');
		expect(await page.locator('[data-testid=wish-card]:has-text("需要轮椅一台")').count()).toBe(1);
		expect(await page.locator('[data-testid=wish-error]').count()).toBe(0);
	});
});
