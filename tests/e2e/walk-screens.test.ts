/**
 * Every role walks its main screens the way a person would, at phone size (390×844, touch)
 * and tablet size (1280×800, touch): logs in through the login page, moves by tapping the
 * header, tabs, lists and links, opens the editors and forms. On each screen the layout is
 * checked (layout-checks.ts) and a screenshot is saved to test-results/walk/ to look at.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, startServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser } from './browser.ts';
import { layoutProblems, type LayoutProblem } from './layout-checks.ts';

const OUT = 'test-results/walk';
const SIZES = {
	phone: { viewport: { width: 390, height: 844 }, isMobile: true },
	tablet: { viewport: { width: 1280, height: 800 }, isMobile: false }
} as const;
type Size = keyof typeof SIZES;
const MIN_MAP = { width: 300, height: 200 };

/**
 * English on screen still waiting for a translation: reported on every run, not failed. Empty
 * since the 'uibehaviour' branch (the error page and history authors are Chinese now).
 */
const PENDING_TRANSLATION: string[] = [];

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	mkdirSync(OUT, { recursive: true });
	server = await startServer();
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

/** One person's walk: a touch device of one size, the problems found on the way. */
class Walk {
	problems: string[] = [];
	pending: string[] = [];
	private sawMenu = false;
	readonly page: Page;
	readonly context: BrowserContext;
	readonly role: string;
	readonly size: Size;
	readonly english: boolean;

	private constructor(page: Page, context: BrowserContext, role: string, size: Size, english: boolean) {
		this.page = page;
		this.context = context;
		this.role = role;
		this.size = size;
		this.english = english;
	}

	static async start(role: string, size: Size, english = false): Promise<Walk> {
		const { viewport, isMobile } = SIZES[size];
		const context = await browser.newContext({ viewport, isMobile, hasTouch: true, locale: 'zh-CN', deviceScaleFactor: 1 });
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error(`pageerror (${role}, ${size}):`, e.message));
		return new Walk(page, context, role, size, english);
	}

	get phone(): boolean {
		return this.size === 'phone';
	}

	/** Checks the screen as it is now and saves its picture. */
	async look(screen: string): Promise<void> {
		await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
		await this.page.waitForTimeout(150); // let a transition settle before the picture; never asserted on
		const found: LayoutProblem[] = await layoutProblems(this.page, { chinese: !this.english, minMap: MIN_MAP });
		for (const p of found) {
			const line = `${this.role} ${screen} ${this.size}: ${p.kind}: ${p.detail}`;
			if (p.kind === 'english' && PENDING_TRANSLATION.some((w) => p.detail.startsWith(`"${w}"`))) this.pending.push(line);
			else this.problems.push(line);
		}
		await this.page.screenshot({ path: `${OUT}/${this.role}-${screen}-${this.size}${this.english ? '-en' : ''}.png` });
	}

	async tap(selector: string): Promise<void> {
		await this.page.locator(selector).first().tap();
	}

	/** Taps a header item: on a phone it lives behind the menu button. */
	async nav(testId: string): Promise<void> {
		const menu = this.page.locator('[data-testid=nav-menu]');
		if (await menu.isVisible()) {
			await menu.tap();
			await this.page.locator('[data-testid=nav-drawer][data-open=true]').waitFor();
			if (!this.sawMenu) await this.look('menu');
			this.sawMenu = true;
		} else if (this.phone) this.problems.push(`${this.role} ${this.size}: no menu button in the header`);
		await this.tap(`[data-testid=${testId}]`);
	}

	/**
	 * On a phone the list and the map are two views of one screen: switch to the map, look,
	 * switch back. On a tablet both show side by side, already looked at.
	 */
	async lookAtMap(screen: string): Promise<void> {
		if (!this.phone) return;
		const toggle = this.page.locator('[data-testid=view-map]');
		if (!(await toggle.isVisible())) {
			this.problems.push(`${this.role} ${screen} ${this.size}: no way to show the map`);
			return;
		}
		await toggle.tap();
		await this.page.waitForSelector('[data-testid=grid-map][data-ready=true]');
		await this.look(screen);
		await this.tap('[data-testid=view-list]');
	}

	/** On a phone an editor or form covers the whole screen (a sheet with its own close button). */
	async expectSheet(selector: string, screen: string): Promise<void> {
		if (!this.phone) return;
		const box = await this.page.evaluate((sel) => {
			const panel = document.querySelector(sel)!.closest('.panel') ?? document.querySelector(sel)!;
			const r = panel.getBoundingClientRect();
			return { left: r.left, top: r.top, width: r.width, height: r.height };
		}, selector);
		const { width, height } = SIZES.phone.viewport;
		if (box.left > 0.5 || box.top > 0.5 || box.width < width - 1 || box.height < height - 1)
			this.problems.push(`${this.role} ${screen} ${this.size}: not a full-screen sheet: ${JSON.stringify(box)}`);
	}

	async logIn(): Promise<void> {
		await this.page.goto(`${server.url}/login`);
		await this.page.waitForSelector('[data-testid=login-form]');
		if (this.english) {
			await this.tap('[data-testid=language-switch]');
			await this.page.waitForSelector('html[lang=en]');
		}
		await this.look('login');
		await this.page.locator('input[name=username]').tap();
		await this.page.fill('input[name=username]', this.role);
		await this.page.fill('input[name=password]', DEMO_PASSWORD);
		await this.tap('button[type=submit]');
		await this.page.waitForURL((url) => url.pathname === '/grids' || url.pathname.startsWith('/liaison'));
	}

	/** The grid list (a liaison member lands on their households instead), by the header's brand link. */
	async toGrids(): Promise<void> {
		if (new URL(this.page.url()).pathname !== '/grids') await this.tap('header a.brand');
		await this.page.waitForURL('**/grids');
		await this.page.waitForSelector('[data-testid=grid-link], .note');
	}

	async close(): Promise<void> {
		if (this.problems.length) console.error(`Layout problems (${this.role}, ${this.size}):\n${this.problems.join('\n')}`);
		if (this.pending.length) console.warn(`English texts waiting for the 'uibehaviour' translations:\n${this.pending.join('\n')}`);
		await this.context.close();
	}
}

async function walkGrid(w: Walk): Promise<void> {
	const { page } = w;
	await w.toGrids();
	await w.look('grids');
	if ((await page.locator('[data-testid=grid-link]').count()) === 0) return;
	await w.tap('[data-testid=grid-link]');
	await page.waitForSelector('[data-testid=household-row]');
	await w.look('grid');
	await w.lookAtMap('grid-map');
	await w.tap('[data-testid=household-row]');
	await page.waitForSelector('[data-testid=household-editor]');
	await w.expectSheet('[data-testid=household-editor]', 'household-editor');
	await w.look('household-editor');
	if (await page.locator('[data-testid=change-colour]').isVisible()) {
		await page.locator('[data-testid=household-editor] details, [data-testid=colour-history]').first().scrollIntoViewIfNeeded();
		await w.look('household-editor-lower');
	}
	await w.tap('[data-testid=household-editor] .close');
	await page.waitForSelector('[data-testid=household-editor]', { state: 'detached' });
}

async function walkLiaison(w: Walk): Promise<void> {
	const { page } = w;
	await w.nav('nav-liaison');
	await page.waitForURL(/\/liaison/);
	if (await page.locator('[data-testid=liaison-grid-link]').count()) {
		await w.look('liaison-grids');
		await w.tap('[data-testid=liaison-grid-link]');
	}
	await page.waitForSelector('[data-testid=tab-mine]');
	for (const tab of ['mine', 'overdue', 'wishes', 'points', 'assign']) {
		const button = page.locator(`[data-testid=tab-${tab}]`);
		await button.scrollIntoViewIfNeeded();
		await button.tap();
		await page.waitForSelector(`[data-testid=tab-${tab}].on`);
		if (tab === 'mine' || tab === 'overdue') {
			if (tab === 'overdue') await page.waitForSelector('[data-testid=due-list], .empty').catch(() => undefined);
			await w.look(`liaison-${tab}`);
			await w.lookAtMap(`liaison-${tab}-map`);
			if (tab === 'mine' && (await page.locator('[data-testid=due-row]').count())) {
				await w.tap('[data-testid=due-row]');
				await page.waitForSelector('[data-testid=visit-form]');
				await w.expectSheet('[data-testid=visit-form]', 'visit-form');
				await w.look('visit-form');
				await w.tap('[data-testid=visit-form] .close');
				await page.waitForSelector('[data-testid=visit-form]', { state: 'detached' });
			}
		} else if (tab === 'wishes') {
			await page.waitForSelector('[data-testid=wish-board]');
			await w.look('wish-board');
		} else if (tab === 'points') {
			await page.waitForSelector('[data-testid=points-mine], [data-testid=leaderboard]');
			await w.look('points');
		} else {
			await w.look('assign');
			await w.lookAtMap('assign-map');
		}
	}
}

async function walkSessions(w: Walk, create: boolean): Promise<void> {
	const { page } = w;
	await w.nav('nav-sessions');
	await page.waitForURL(/\/sessions/);
	await page.waitForSelector('main h1');
	await page.waitForSelector('[data-testid=sessions-map], .note').catch(() => undefined);
	await w.look('sessions');
	if (create && (await page.locator('[data-testid=session-create]').count())) {
		const form = page.locator('[data-testid=session-create]');
		await form.scrollIntoViewIfNeeded();
		await w.look('session-form');
		await page.locator('[data-testid=session-create] input[name=title]').tap();
		await page.fill('[data-testid=session-create] input[name=title]', `${w.size === 'phone' ? '手机' : '平板'}：3 号楼加装电梯议事会`);
		await page.fill('[data-testid=session-create] input[name=placeLabel]', '3 号楼前');
		await page.locator('[data-testid=session-create] button[type=submit]').tap();
		await page.waitForURL(/\/sessions\/[^/]+$/);
		await page.waitForSelector('[data-testid=session-page]');
		await page.fill('[data-testid=agenda-title]', '电梯费用分摊');
		await w.tap('[data-testid=agenda-add]');
		await page.waitForSelector('[data-testid=agenda-item]');
		await w.tap('[data-testid=session-start]');
		await page.waitForSelector('[data-testid=session-page][data-status=live]');
		await w.tap('[data-testid=mark-me-present]');
		await page.fill('[data-testid=proposal-text]', '按楼层分摊');
		await w.tap('[data-testid=proposal-add]');
		await page.waitForSelector('[data-testid=proposal]');
		await w.tap('[data-testid=open-vote]');
		await page.waitForSelector('[data-testid^=vote-]');
		await w.look('session-vote');
		await w.nav('nav-sessions');
		await page.waitForSelector('[data-testid=session-link]');
	}
	if ((await page.locator('[data-testid=session-link]').count()) === 0) return;
	await w.tap('[data-testid=session-link]');
	await page.waitForSelector('[data-testid=session-page]');
	await page.waitForSelector('[data-testid=agenda]');
	await w.look('session');
	for (const part of ['attendance', 'proposals', 'resolutions', 'sign-off']) {
		const el = page.locator(`[data-testid=${part}]`);
		if (!(await el.count())) continue;
		await el.first().scrollIntoViewIfNeeded();
		await w.look(`session-${part}`);
	}
	const print = page.locator('[data-testid=print-link]');
	await print.scrollIntoViewIfNeeded();
	await print.tap();
	await page.waitForSelector('[data-testid=print-page]');
	await w.look('session-print');
}

async function walkAccount(w: Walk): Promise<void> {
	await w.nav('nav-account');
	await w.page.waitForURL('**/account');
	await w.page.waitForSelector('main h1');
	await w.look('account');
}

async function walkAdmin(w: Walk): Promise<void> {
	const { page } = w;
	await w.nav('nav-admin');
	await page.waitForURL('**/admin');
	await page.waitForSelector('[data-testid=admin-user]');
	await w.look('admin');
	for (const part of ['admin-place', 'boundary-text']) {
		const el = page.locator(`[data-testid=${part}]`);
		if (!(await el.count())) continue;
		await el.first().scrollIntoViewIfNeeded();
		await w.look(part);
	}
}

async function walkErrorPage(w: Walk): Promise<void> {
	await w.page.goto(`${server.url}/no-such-page`);
	await w.page.waitForSelector('main h1');
	await w.look('error');
}

interface Role {
	username: string;
	grids: boolean;
	liaison: boolean;
	sessions: 'create' | 'open' | false;
	admin: boolean;
}

// the committee member goes first: the session the others open is the one they create
const ROLES: Role[] = [
	{ username: 'demo-committee', grids: true, liaison: true, sessions: 'create', admin: false },
	{ username: 'demo-admin', grids: true, liaison: true, sessions: 'open', admin: true },
	{ username: 'demo-gridworker', grids: true, liaison: true, sessions: 'open', admin: false },
	{ username: 'demo-liaison', grids: true, liaison: true, sessions: 'open', admin: false },
	{ username: 'demo-police', grids: true, liaison: true, sessions: 'open', admin: false },
	{ username: 'demo-mediator', grids: true, liaison: true, sessions: 'open', admin: false }
];

for (const size of Object.keys(SIZES) as Size[]) {
	describe(`every main screen at ${size} size`, () => {
		for (const role of ROLES) {
			it(`${role.username}: nothing sticks out, no label breaks, the map is usable, no English`, async () => {
				const w = await Walk.start(role.username, size);
				try {
					await w.logIn();
					if (role.grids) await walkGrid(w);
					if (role.liaison) await walkLiaison(w);
					if (role.sessions) await walkSessions(w, role.sessions === 'create');
					await walkAccount(w);
					if (role.admin) await walkAdmin(w);
					await walkErrorPage(w);
				} finally {
					await w.close();
				}
				expect(w.problems).toEqual([]);
			});
		}
	});
}

// English words are longer than Chinese ones: one role walks the phone in English too
describe('the phone in English', () => {
	it('demo-committee: nothing sticks out, no label breaks, the map is usable', async () => {
		const w = await Walk.start('demo-committee', 'phone', true);
		try {
			await w.logIn();
			await walkGrid(w);
			await walkLiaison(w);
			await walkSessions(w, false);
			await walkAccount(w);
		} finally {
			await w.close();
		}
		expect(w.problems).toEqual([]);
	});
});
