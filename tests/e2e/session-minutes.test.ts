/**
 * Issue 5 end to end: a committee member and the police deputy hold a deliberation session on
 * two tablets. They write the minutes together and see each other's caret, each votes, the
 * chair records a resolution, both sign off, the minutes freeze, and the export has the
 * resolution in it. A real server (child process, temporary SQLite), real WebSockets,
 * Debian's Chromium.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pdfText } from '../helpers/pdf-text.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, logIn, newContext } from './browser.ts';

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

async function tablet(username: string): Promise<Page> {
	const context = await newContext(browser);
	contexts.push(context);
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error(`pageerror (${username}):`, e.message));
	await logIn(page, server.url, username);
	await page.waitForURL('**/grids');
	return page;
}

const RESOLUTION = '同意按楼层分摊加装电梯费用';

describe('a deliberation session on two tablets', () => {
	let chair: Page;
	let police: Page;
	let sessionUrl = '';

	beforeAll(async () => {
		chair = await tablet('demo-committee');
		police = await tablet('demo-police');
	});

	it('the chair creates a session from the community list', async () => {
		await chair.click('[data-testid=nav-sessions]');
		await chair.waitForSelector('[data-testid=session-create]');
		await chair.fill('[data-testid=session-create] input[name=title]', '3 号楼加装电梯议事会');
		await chair.fill('[data-testid=session-create] input[name=placeLabel]', '3 号楼前');
		// invite the police deputy and the mediator (the mediator will not come)
		await chair.waitForSelector('[data-testid=invite-member]');
		await chair.check('[data-testid=invite-member][value=u-demo-police]');
		await chair.check('[data-testid=invite-member][value=u-demo-mediator]');
		await chair.click('[data-testid=session-create] button[type=submit]');
		await chair.waitForURL('**/sessions/*');
		sessionUrl = chair.url();
		await chair.waitForSelector('[data-testid=session-title]');
		expect(await chair.textContent('[data-testid=session-title]')).toBe('3 号楼加装电梯议事会');
		expect(await chair.textContent('[data-testid=session-status]')).toBe('未开始');

		await police.goto(`${server.url}/sessions`);
		await police.waitForSelector('[data-testid=session-link]');
		// the session's place is on the community map, as a link to it
		await police.waitForSelector('[data-testid=sessions-map][data-ready=true] [data-testid=session-marker]');
		expect(await police.getAttribute('[data-testid=session-marker]', 'href')).toBe(new URL(sessionUrl).pathname);
		expect(await police.getAttribute('[data-testid=session-marker]', 'title')).toContain('3 号楼前');
		await police.click('[data-testid=session-link]');
		await police.waitForSelector('[data-testid=session-title]');
		expect(police.url()).toBe(sessionUrl);
	});

	it('both are here, the chair starts, both mark themselves present, an agenda item', async () => {
		await chair.waitForSelector('[data-testid=here-user][data-user-id=u-demo-police]');
		await police.waitForSelector('[data-testid=here-user][data-user-id=u-demo-committee]');
		// the mediator was invited but is not here: listed by name for the chair to mark present
		await chair.waitForSelector('[data-testid=invited][data-user-id=u-demo-mediator]');
		expect(await chair.textContent('[data-testid=invited][data-user-id=u-demo-mediator]')).toContain('吴桂兰');
		expect(await chair.locator('[data-testid=invited][data-user-id=u-demo-police]').count()).toBe(0);
		await chair.click('[data-testid=session-start]');
		await police.waitForSelector('[data-testid=session-page][data-status=live]');
		await chair.click('[data-testid=mark-me-present]');
		await police.click('[data-testid=mark-me-present]');
		await chair.fill('[data-testid=agenda-title]', '费用分摊');
		await chair.click('[data-testid=agenda-add]');
		for (const p of [chair, police]) {
			await p.waitForSelector('[data-testid=attendee][data-user-id=u-demo-police]');
			await p.waitForSelector('[data-testid=attendee][data-user-id=u-demo-committee]');
			await p.waitForSelector('[data-testid=agenda-item]');
		}
	});

	it('co-edit the minutes and see each other’s caret', async () => {
		const editor = '[data-testid=minutes-editor]';
		await chair.click(editor);
		await chair.keyboard.type('主持人：介绍方案。');
		await police.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('主持人：介绍方案。'), editor);
		await police.click(editor);
		await police.keyboard.press('End');
		await police.keyboard.press('Enter');
		await police.keyboard.type('警务副书记：注意施工安全。');
		await chair.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('警务副书记：注意施工安全。'), editor);
		// each sees the other's caret with their name
		await chair.waitForFunction(() =>
			[...document.querySelectorAll('[data-testid=remote-caret]')].some((c) => c.textContent?.includes('赵志强'))
		);
		await police.waitForFunction(() =>
			[...document.querySelectorAll('[data-testid=remote-caret]')].some((c) => c.textContent?.includes('陈国平'))
		);
		const a = await chair.textContent(editor);
		const b = await police.textContent(editor);
		expect(a).toContain('主持人：介绍方案。');
		expect(a).toContain('警务副书记：注意施工安全。');
		expect(b).toContain('主持人：介绍方案。');
		expect(b).toContain('警务副书记：注意施工安全。');
	});

	it('a proposal is put to the vote; each votes; the tally is live and recorded', async () => {
		await police.fill('[data-testid=proposal-text]', '按楼层分摊费用');
		await police.click('[data-testid=proposal-add]');
		await chair.waitForSelector('[data-testid=proposal][data-status=draft]');
		await chair.click('[data-testid=open-vote]');
		await police.waitForSelector('[data-testid=proposal][data-status=open] [data-testid=vote-for]');
		await police.click('[data-testid=vote-for]');
		await chair.waitForFunction(() => document.querySelector('[data-testid=tally]')?.textContent?.includes('赞成 1'));
		await chair.click('[data-testid=vote-for]');
		await police.waitForFunction(() => document.querySelector('[data-testid=tally]')?.textContent?.includes('赞成 2'));
		expect(await police.textContent('[data-testid=my-vote]')).toContain('赞成');
		await chair.click('[data-testid=close-vote]');
		await police.waitForSelector('[data-testid=proposal][data-status=closed] [data-testid=result]');
		expect(await police.textContent('[data-testid=result]')).toBe('通过');
		expect(await police.textContent('[data-testid=tally]')).toBe('赞成 2 · 反对 0 · 弃权 0');
	});

	it('the chair records the resolution and an action item', async () => {
		await chair.fill('[data-testid=resolution-text]', RESOLUTION);
		await chair.click('[data-testid=resolution-add]');
		await chair.fill('[data-testid=action-text]', '联系施工单位报价');
		await chair.selectOption('[data-testid=action-owner]', 'u-demo-committee');
		await chair.fill('[data-testid=action-due]', '2026-12-15');
		await chair.click('[data-testid=action-add]');
		await police.waitForSelector('[data-testid=action-item]');
		expect(await police.textContent('[data-testid=resolution]')).toContain(RESOLUTION);
		expect(await police.textContent('[data-testid=action-item]')).toContain('陈国平');
	});

	it('the chair closes, both sign off on their own tablet, and the minutes freeze with a hash', async () => {
		await chair.click('[data-testid=session-close]');
		await police.waitForSelector('[data-testid=sign-off-button]');
		await police.click('[data-testid=sign-off-button]');
		await chair.waitForSelector('[data-testid=sign-off-button]');
		await chair.click('[data-testid=sign-off-button]');
		for (const p of [chair, police]) {
			await p.waitForSelector('[data-testid=frozen-hash]');
			expect(await p.getAttribute('[data-testid=minutes-editor]', 'contenteditable')).toBe('false');
			expect(await p.locator('[data-testid=agenda-add]').count()).toBe(0);
		}
		const hash = await chair.textContent('[data-testid=frozen-hash]');
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(await police.textContent('[data-testid=frozen-hash]')).toBe(hash);
		// each device recomputes the hash from its own copy
		await chair.waitForSelector('[data-testid=hash-check][data-verified=true]');
		await police.waitForSelector('[data-testid=hash-check][data-verified=true]');
	});

	it('the printable page and the PDF download have the resolution and the hash', async () => {
		const hash = (await chair.textContent('[data-testid=frozen-hash]')) ?? '';
		await chair.click('[data-testid=print-link]');
		await chair.waitForSelector('[data-testid=print-resolution]');
		expect(await chair.textContent('[data-testid=print-resolution]')).toContain(RESOLUTION);
		expect(await chair.textContent('[data-testid=print-hash]')).toBe(hash);
		expect(await chair.textContent('[data-testid=print-page]')).toContain('警务副书记：注意施工安全。');

		const [download] = await Promise.all([chair.waitForEvent('download'), chair.click('[data-testid=pdf-link]')]);
		expect(download.suggestedFilename()).toMatch(/\.pdf$/);
		const pdf = readFileSync((await download.path())!);
		const text = pdfText(pdf);
		expect(text).toContain(RESOLUTION);
		expect(text).toContain('警务副书记：注意施工安全。');
		expect(text).toContain(hash);

		// the browser's own print of the page (what "print → save as PDF" gives) is a PDF too
		await chair.emulateMedia({ media: 'print' });
		expect(await chair.locator('[data-testid=pdf-link]').isVisible()).toBe(false);
		const printed = await chair.pdf({ format: 'A4' });
		expect(printed.subarray(0, 5).toString()).toBe('%PDF-');
	});

	it("the action item is on its owner's task list, under the frozen minutes (it can no longer be marked done there)", async () => {
		await chair.goto(`${server.url}/sessions`);
		await chair.waitForSelector('[data-testid=frozen-tasks] [data-testid=task]');
		expect(await chair.textContent('[data-testid=frozen-tasks]')).toContain('联系施工单位报价');
		expect(await chair.locator('[data-testid=my-tasks]').count()).toBe(0);
	});
});
