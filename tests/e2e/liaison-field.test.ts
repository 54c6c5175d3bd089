/**
 * Issue 4 end to end, at tablet size: the demo liaison member opens "my households", goes
 * offline, records a visit that also changes a colour, claims a wish; reconnects; a committee
 * member on another tablet sees the visit (points), the colour and the claim.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useServerAndBrowser } from './fixture.ts';
import { listSize, logIn, scrollListTo, sweepList, waitForHome, waitForServiceWorker } from './browser.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

async function liaisonPage(username: string, query = ''): Promise<Page> {
	const page = await f.page();
	await logIn(page, f.server.url, username);
	await waitForHome(page);
	await page.goto(`${f.server.url}/liaison/g2${query}`);
	await page.waitForSelector('[data-testid=tab-mine]');
	await page.waitForSelector(`${syncStatus}[data-network=online]`);
	return page;
}

const dueRows = (page: Page) =>
	page.$$eval('[data-testid=due-row]', (els) =>
		els.map((el) => ({
			id: el.getAttribute('data-household-id') ?? '',
			colour: el.getAttribute('data-colour') ?? '',
			overdue: el.getAttribute('data-overdue') === 'true',
			due: el.getAttribute('data-due') ?? ''
		}))
	);

describe('installable app', () => {
	it('links a manifest with 192 and 512 px icons, and Chromium finds nothing that stops installing it', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-liaison');
		await waitForHome(page);
		await waitForServiceWorker(page);
		const href = await page.getAttribute('link[rel=manifest]', 'href');
		const manifest = (await (await fetch(new URL(href!, f.server.url))).json()) as { icons: { sizes: string; type: string }[]; start_url: string; display: string };
		expect(manifest.display).toBe('standalone');
		expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
		const cdp = await page.context().newCDPSession(page);
		const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
		// test contexts are incognito profiles, where Chromium never installs; anything else would count
		expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
		await page.context().close();
	});
});

describe('household liaison in the field', () => {
	let visited = { id: '', colour: '' };
	let claimedWish = '';
	let pointsBefore = 0;

	it('lands on "my households" at login, most urgent first, overdue highlighted on the list and the map', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-liaison');
		// a liaison member's work, not the grid map; a single grid: straight to it
		await page.waitForURL('**/liaison/g2');
		await page.waitForSelector('[data-testid=due-row]');
		await page.waitForSelector('[data-testid=grid-map][data-ready=true]');

		const rows = await dueRows(page);
		expect(rows.length).toBeGreaterThan(5);
		const dues = rows.map((r) => Date.parse(r.due));
		expect([...dues].sort((a, b) => a - b)).toEqual(dues);
		const firstOk = rows.findIndex((r) => !r.overdue);
		expect(firstOk).toBeGreaterThan(0); // the demo has overdue households, and they come first
		expect(rows.slice(firstOk).every((r) => !r.overdue)).toBe(true);
		expect(await page.locator('[data-testid=overdue-badge]').count()).toBe(firstOk);

		mkdirSync('test-results', { recursive: true });
		await page.screenshot({ path: 'test-results/liaison-my-households-1280x800.png' });

		await page.click('[data-testid=language-switch]');
		expect(await page.textContent('[data-testid=tab-mine]')).toContain('My households');
		expect(await page.textContent('[data-testid=overdue-badge] >> nth=0')).toMatch(/days overdue/);
		await page.context().close();
	});

	it('records a visit with a colour change and claims a wish offline; a second tablet sees it all after reconnecting', async () => {
		const a = await liaisonPage('demo-liaison');
		await a.click('[data-testid=tab-points]');
		await a.waitForSelector('[data-testid=points-total]');
		pointsBefore = Number(await a.getAttribute('[data-testid=points-total]', 'data-total'));
		await a.click('[data-testid=tab-mine]');
		await a.waitForSelector('[data-testid=due-row]');
		await waitForServiceWorker(a);

		await a.context().setOffline(true);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);

		// the most overdue household: online visit, colour to red with a reason
		const [first] = await dueRows(a);
		expect(first.overdue).toBe(true);
		visited = { id: first.id, colour: first.colour === 'red' ? 'orange' : 'red' };
		await a.click(`[data-testid=due-row][data-household-id="${first.id}"]`);
		await a.waitForSelector('[data-testid=visit-form]');
		await a.click('[data-testid=visit-online]');
		await a.fill('[data-testid=visit-note]', '电话回访：老人摔伤，需重点关注');
		await a.click(`[data-testid=visit-colour-${visited.colour}]`);
		expect(await a.isDisabled('[data-testid=visit-save]')).toBe(true); // a colour change needs a reason
		await a.fill('[data-testid=visit-reason]', '老人摔伤行动不便');
		await a.screenshot({ path: 'test-results/liaison-visit-form-1280x800.png' });
		await a.click('[data-testid=visit-save]');
		await a.waitForSelector('[data-testid=visit-saved]');
		expect(await a.textContent('[data-testid=visit-history]')).toContain('电话回访：老人摔伤');

		const row = `[data-testid=due-row][data-household-id="${first.id}"]`;
		await a.waitForSelector(`${row}[data-overdue=false][data-colour=${visited.colour}]`);
		expect(Date.parse((await a.getAttribute(row, 'data-due'))!)).toBeGreaterThan(Date.now());

		// a reload with no network: the shell from the service worker, the visit from IndexedDB
		const response = await a.reload();
		expect(response?.fromServiceWorker()).toBe(true);
		await a.waitForSelector(`${row}[data-overdue=false][data-colour=${visited.colour}]`);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);

		// claim a wish from the open pool
		await a.click('[data-testid=tab-wishes]');
		const claimable = a.locator('[data-testid=wish-card][data-status=dispatched]', { has: a.locator('[data-testid=wish-claim]') }).first();
		claimedWish = (await claimable.getAttribute('data-wish-id'))!;
		await claimable.locator('[data-testid=wish-claim]').click();
		const card = `[data-testid=wish-card][data-wish-id="${claimedWish}"]`;
		await a.waitForSelector(`[data-testid=wish-column-claimed] ${card}[data-claimed-by=u-demo-liaison]`);
		await a.waitForSelector(`${card} [data-testid=wish-won]`);

		expect(Number(await a.getAttribute(syncStatus, 'data-unsynced'))).toBeGreaterThan(0);

		// back online: everything reaches the server
		await a.context().setOffline(false);
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`, { timeout: 30_000 });

		// a committee member of the community on another tablet
		const b = await liaisonPage('demo-committee', '?tab=wishes');
		await b.waitForSelector(`[data-testid=wish-column-claimed] ${card}[data-claimed-by=u-demo-liaison]`);
		expect(await b.textContent(card)).toContain('张建华');

		await b.click('[data-testid=tab-points]');
		await b.waitForFunction(
			(want) => Number(document.querySelector('[data-testid=leaderboard-row][data-member-id=u-demo-liaison]')?.getAttribute('data-total')) === want,
			pointsBefore + 1 // an online visit
		);

		await b.goto(`${f.server.url}/grids/g2`);
		await b.waitForSelector(`[data-testid=household-row][data-household-id="${visited.id}"][data-colour=${visited.colour}]`);
		await b.click(`[data-testid=household-row][data-household-id="${visited.id}"]`);
		await b.waitForFunction(() => document.querySelector('[data-testid=colour-history]')?.textContent?.includes('老人摔伤行动不便'));
	});

	it('runs a wish through every column across two roles, earns its points, and assigns a household from a suggestion', async () => {
		const committee = await liaisonPage('demo-committee', '?tab=wishes');
		const liaison = await liaisonPage('demo-liaison', '?tab=wishes');
		await liaison.click('[data-testid=tab-points]');
		await liaison.waitForSelector('[data-testid=points-total]');
		const before = Number(await liaison.getAttribute('[data-testid=points-total]', 'data-total'));
		await liaison.click('[data-testid=tab-wishes]');

		// 群众点单: the liaison member posts a wish for one of their households
		await liaison.selectOption('[data-testid=wish-household]', { index: 1 });
		await liaison.fill('[data-testid=wish-text]', '帮独居老人更换煤气罐');
		await liaison.click('[data-testid=wish-post]');
		const card = (p: Page) => p.locator('[data-testid=wish-card]', { hasText: '帮独居老人更换煤气罐' });
		await card(committee).and(committee.locator('[data-status=posted]')).waitFor();
		expect(await card(liaison).locator('[data-testid=wish-dispatch]').count()).toBe(0); // not a liaison's step

		// 社区派单: the committee dispatches it to the liaison member
		await card(committee).locator('[data-testid=wish-dispatch-to]').selectOption('u-demo-liaison');
		await card(committee).locator('[data-testid=wish-dispatch]').click();
		await card(liaison).and(liaison.locator('[data-status=dispatched]')).waitFor();
		expect(await card(liaison).textContent()).toContain('派给 张建华');

		// 党员接单, then done with a note
		await card(liaison).locator('[data-testid=wish-claim]').click();
		await card(committee).and(committee.locator('[data-status=claimed]')).waitFor();
		await card(liaison).locator('[data-testid=wish-done-note]').fill('已更换，老人满意');
		await card(liaison).locator('[data-testid=wish-complete]').click();
		await card(committee).and(committee.locator('[data-status=done]')).waitFor();
		expect(await card(committee).textContent()).toContain('已更换，老人满意');
		mkdirSync('test-results', { recursive: true });
		await committee.screenshot({ path: 'test-results/liaison-wish-board-1280x800.png' });

		await liaison.click('[data-testid=tab-points]');
		await liaison.waitForSelector(`[data-testid=points-total][data-total="${before + 5}"]`);

		// assignment: the committee accepts the first suggestion; the household leaves the list
		await committee.click('[data-testid=tab-assign]');
		const suggestion = committee.locator('[data-testid=suggestion]', { has: committee.locator('[data-testid=suggestion-accept]') }).first();
		const householdId = (await suggestion.getAttribute('data-household-id'))!;
		const memberId = (await suggestion.getAttribute('data-member-id'))!;
		expect(memberId).not.toBe('');
		await committee.screenshot({ path: 'test-results/liaison-assignment-1280x800.png' });
		await suggestion.locator('.addr').click(); // select it: its reassignment tools appear
		await suggestion.locator('[data-testid=suggestion-accept]').click();
		await committee.locator(`[data-testid=suggestion][data-household-id="${householdId}"]`).waitFor({ state: 'detached' });
		expect(await committee.inputValue('[data-testid=reassign]')).toBe(memberId);

		// reassigning is one choice, and both steps are on record with who did them
		const other = await committee.$$eval('[data-testid=reassign] option', (os, m) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v && v !== m)!, memberId);
		await committee.selectOption('[data-testid=reassign]', other);
		await committee.waitForFunction(() => document.querySelectorAll('[data-testid=assignment-history] li').length === 2);
		expect(await committee.textContent('[data-testid=assignment-history]')).toContain('陈国平');
	});

	it("lists the community's overdue households across its grids and opens one in its own grid", async () => {
		const committee = await liaisonPage('demo-committee', '?tab=overdue');
		await committee.click('[data-testid=scope-community]');
		await committee.waitForFunction(() => Number(document.querySelector('[data-testid=due-list] > li[aria-setsize]')?.getAttribute('aria-setsize')) > 60);
		// the list is windowed: scroll through all of it
		const all = await sweepList(committee, 'due-list');
		expect(all.length).toBe(await listSize(committee, 'due-list'));
		const text = all.map((r) => r.text).join('\n');
		for (const grid of ['枫源村一组', '枫源村二组', '枫源村三组']) expect(text).toContain(grid);
		expect(all.every((r) => r.data.overdue === 'true')).toBe(true);

		// the first row of grid 一组, wherever it is in the list
		const id = all.find((r) => r.text.includes('枫源村一组'))!.id;
		const other = committee.locator(`[data-testid=due-row][data-household-id="${id}"]`);
		expect(await scrollListTo(committee, 'due-list', `[data-household-id="${id}"]`)).toBe(true);
		await other.click();
		await committee.waitForURL(`**/liaison/g1?tab=overdue&household=${id}`);
		await committee.waitForSelector(`[data-testid=visit-form][data-household-id="${id}"]`);
	});
});
