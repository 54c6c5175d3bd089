/**
 * Issue 13: what users read is Chinese and names people and places; the smaller breaks of the
 * household editor, the admin page and the visit list.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../helpers/access.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { useServerAndBrowser } from './fixture.ts';
import { listState, logIn, row } from './browser.ts';

const f = useServerAndBrowser();

async function fieldSave(page: Page, field: string, value: string): Promise<void> {
	await page.fill(`[data-testid=field-${field}]`, value);
	await page.press(`[data-testid=field-${field}]`, 'Enter');
}

describe('the household editor', () => {
	it('refuses an empty address and 户主, puts the saved values back, and shows every refusal in Chinese', async () => {
		const page = await f.tablet('demo-gridworker', 'g1');
		const [first] = await listState(page);
		await page.click(row(first.id));
		const address = await page.inputValue('[data-testid=field-address]');
		const head = await page.inputValue('[data-testid=field-head]');
		await fieldSave(page, 'address', '   ');
		await fieldSave(page, 'head', '');
		await fieldSave(page, 'size', '500');
		await page.waitForSelector('[data-testid=field-error][data-part=size]');
		const errors = await page.$$eval('[data-testid=field-error]', (els) => els.map((e) => [e.getAttribute('data-part'), e.textContent]));
		expect(Object.fromEntries(errors)).toEqual({ address: '请填写地址', head: '请填写户主姓名', size: '人口须为 0–99 的整数' });
		// the fields show what is saved, as the list does
		expect(await page.inputValue('[data-testid=field-address]')).toBe(address);
		expect(await page.inputValue('[data-testid=field-head]')).toBe(head);
		expect(await page.textContent(row(first.id))).toContain(address);
		// a good value clears its own message only
		await fieldSave(page, 'size', '4');
		await page.waitForFunction(() => !document.querySelector('[data-testid=field-error][data-part=size]'));
		expect(await page.locator('[data-testid=field-error]').count()).toBe(2);
	});

	it('the change history names people, never ids or "system"', async () => {
		const page = await f.tablet('demo-committee', 'g1');
		const [first] = await listState(page);
		await page.click(row(first.id));
		await fieldSave(page, 'phone', '13911112222');
		await page.waitForSelector('[data-testid=change-history][data-state=ready] [data-testid=change][data-field=phone]');
		const text = (await page.textContent('[data-testid=change-history]')) ?? '';
		expect(text).toContain('陈国平');
		expect(text).not.toMatch(/\bsystem\b|u-demo/);
	});

	it('turns read-only as soon as the role is taken away', async () => {
		const page = await f.tablet('demo-gridworker', 'g1');
		await page.waitForSelector('[data-testid=sync-status][data-network=online]');
		const [first] = await listState(page);
		await page.click(row(first.id));
		expect(await page.isDisabled('[data-testid=field-address]')).toBe(false);
		const admin = await f.server.login('demo-admin');
		const users = (await call(f.server, admin, 'GET', '/api/admin/users')).body.users as { id: string; username: string }[];
		const id = users.find((u) => u.username === 'demo-gridworker')!.id;
		const removed = await call(f.server, admin, 'DELETE', `/api/admin/users/${id}/memberships`, { role: 'gridWorker', level: 'grid', placeId: 'g1' });
		expect(removed.status).toBe(200);
		await page.waitForFunction(() => (document.querySelector('[data-testid=field-address]') as HTMLInputElement | null)?.disabled === true);
		expect(await page.locator('[data-testid=change-colour]').count()).toBe(0);
		await call(f.server, admin, 'POST', `/api/admin/users/${id}/memberships`, { role: 'gridWorker', level: 'grid', placeId: 'g1' });
	});
});

describe('messages from the server', () => {
	it('carry a code, the field and the issue, for the client to say in the user\'s language', async () => {
		const token = await f.server.login('demo-committee');
		const answer = await call(f.server, token, 'POST', '/api/communities/c1/sessions', { title: '', startsAt: new Date().toISOString() });
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ error: 'invalidBody', field: 'title', issue: 'required' });
		const taken = await call(f.server, await f.server.login('demo-admin'), 'POST', '/api/admin/users', {
			username: 'demo-liaison',
			password: 'long-enough-1',
			displayName: '重复',
			membership: { role: 'liaison', level: 'grid', placeId: 'g2' }
		});
		expect(taken.body.error).toBe('usernameTaken');
	});

	it('a refused session form says what is wrong in Chinese, without field paths or English', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-committee');
		await page.waitForURL('**/grids');
		await page.goto(`${f.server.url}/sessions`);
		await page.waitForSelector('[data-testid=session-create]');
		await page.fill('[data-testid=session-create] input[name=title]', '坐标有误的会');
		await page.click('[data-testid=session-create] details summary');
		await page.fill('[data-testid=session-create] input[name=lng]', '999');
		await page.click('[data-testid=session-create] button[type=submit]');
		await page.waitForSelector('[data-testid=session-create-error]');
		const text = (await page.textContent('[data-testid=session-create-error]')) ?? '';
		expect(text).toContain('地点的值无效');
		expect(text).not.toMatch(/[a-z]{3,}/i);
	});

	it('the minutes PDF names the community, not its id', async () => {
		const token = await f.server.login('demo-committee');
		const created = await call(f.server, token, 'POST', '/api/communities/c1/sessions', { title: '名称核对会', startsAt: new Date().toISOString() });
		expect(created.status).toBe(201);
		const res = await fetch(`${f.server.url}/api/communities/c1/sessions/${created.body.id}/minutes.pdf?compress=0`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
		const text = pdfText(Buffer.from(await res.arrayBuffer()));
		expect(text).toContain('枫源村');
		expect(text).not.toMatch(/：c1\b/);
	});
});

describe('visits', () => {
	it('show the time of day, not only the date', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-liaison');
		await page.waitForURL(/\/(grids|liaison)/);
		await page.goto(`${f.server.url}/liaison/g2`);
		await page.waitForSelector('[data-testid=due-row]');
		const id = await page.getAttribute('[data-testid=due-row]', 'data-household-id');
		await page.click(`[data-testid=due-row][data-household-id="${id}"]`);
		await page.fill('[data-testid=visit-note]', '看看时间');
		await page.click('[data-testid=visit-save]');
		await page.waitForSelector('[data-testid=visit-saved]');
		expect(await page.textContent('[data-testid=visit-when] >> nth=0')).toMatch(/\d{1,2}:\d{2}/);
	});
});

describe('the admin page', () => {
	it('asks before removing a role, naming whom and where', async () => {
		const admin = await f.page();
		await logIn(admin, f.server.url, 'demo-admin');
		await admin.waitForURL('**/grids');
		await admin.click('[data-testid=nav-admin]');
		await admin.waitForSelector('[data-testid=admin-page][data-state=ready]');
		const user = '[data-testid=admin-user][data-username=demo-mediator]';
		await admin.click(`${user} [data-testid=membership-remove]`);
		const question = (await admin.textContent(`${user} [data-testid=confirm]`)) ?? '';
		expect(question).toContain('吴桂兰');
		expect(question).toContain('枫源村');
		await admin.click(`${user} [data-testid=confirm-no]`);
		expect(await admin.locator(`${user} [data-testid=membership]`).count()).toBe(1);
	});
});

describe("a session's place", () => {
	it('is picked on the map, not typed as longitude and latitude', async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-committee');
		await page.waitForURL('**/grids');
		await page.goto(`${f.server.url}/sessions`);
		await page.waitForSelector('[data-testid=place-picker][data-ready=true]');
		// the coordinates are not a field to fill in: they sit folded away
		expect(await page.isVisible('[data-testid=session-create] input[name=lng]')).toBe(false);
		await page.fill('[data-testid=session-create] input[name=title]', '地图选点的会');
		await page.locator('[data-testid=place-picker]').scrollIntoViewIfNeeded();
		const box = (await page.locator('[data-testid=place-picker]').boundingBox())!;
		await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.3);
		await page.waitForFunction(() => (document.querySelector('[data-testid=session-create] input[name=lng]') as HTMLInputElement).value !== '120.24');
		await page.click('[data-testid=session-create] details summary');
		const lng = Number(await page.inputValue('[data-testid=session-create] input[name=lng]'));
		const lat = Number(await page.inputValue('[data-testid=session-create] input[name=lat]'));
		expect(lng).not.toBe(120.24);
		await page.click('[data-testid=session-create] button[type=submit]');
		await page.waitForURL('**/sessions/*');
		const token = await f.server.login('demo-committee');
		const sessions = (await call(f.server, token, 'GET', '/api/communities/c1/sessions')).body as { title: string; place: { lng: number; lat: number } }[];
		expect(sessions.find((s) => s.title === '地图选点的会')?.place).toMatchObject({ lng, lat });
	});
});
