/**
 * A shared tablet (issue 3): logging out takes the user's documents and login off the device
 * once their edits are on the server (or after a confirmed discard); a login removes copies the
 * user may no longer open, with a message; another user's unsent edits are neither opened in
 * the background nor lost, and go up at that user's next login.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, withDb } from '../helpers/access.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';
import { goToGrids, listState, logIn, openGrid, row, waitForHome } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';
import { dumpIndexedDb, dumpText } from './idb.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

async function editHeadOffline(page: Page, text: string): Promise<string> {
	await page.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`);
	const target = (await listState(page))[2];
	await page.context().setOffline(true);
	await page.waitForSelector(`${syncStatus}[data-network=offline]`);
	await page.click(row(target.id));
	const head = page.locator('[data-testid=field-head]');
	await head.fill(text);
	await head.press('Enter');
	await page.waitForSelector('[data-testid=unsynced-count]');
	return target.id;
}

/** Every object store of every IndexedDB database of the origin is empty, and no text of `marks` is anywhere. */
async function expectNothingReadable(page: Page, marks: string[]): Promise<void> {
	const dump = await dumpIndexedDb(page);
	for (const [database, stores] of Object.entries(dump))
		for (const [store, records] of Object.entries(stores)) expect(records, `${database}/${store}`).toEqual([]);
	const text = dumpText(dump);
	for (const mark of marks) expect(text).not.toContain(mark);
}

async function headOnServer(gridId: string, householdId: string): Promise<string | undefined> {
	const admin = await f.server.login('demo-admin');
	const history = await call(f.server, admin, 'GET', `/api/docs/grid:${gridId}/history?limit=100`);
	const change = history.body.changes.find((c: { householdId: string; field: string }) => c.householdId === householdId && c.field === 'head');
	return change?.to;
}

describe('a shared tablet', () => {
	it('logging out waits for the edits to sync (or a confirmed discard) and leaves nothing readable in IndexedDB', async () => {
		const a = await f.tablet('demo-liaison', 'g2');
		const synced = await editHeadOffline(a, '共享平板已同步');
		const heads = (await listState(a)).slice(5, 8).map((r) => r.text.split(' ')[0]);

		await a.click('[data-testid=logout]');
		await a.waitForSelector('[data-testid=logout-dialog]');
		expect(Number(await a.getAttribute('[data-testid=logout-pending]', 'data-pending'))).toBeGreaterThan(0);
		await a.waitForSelector('[data-testid=logout-blocked]'); // offline: cannot sync yet
		expect(await a.isDisabled('[data-testid=logout-wait]')).toBe(true);
		await a.context().setOffline(false);
		await a.waitForSelector('[data-testid=logout-wait]:not([disabled])');
		await a.click('[data-testid=logout-wait]');
		await a.waitForURL('**/login');
		expect(await headOnServer('g2', synced)).toBe('共享平板已同步');
		await expectNothingReadable(a, ['共享平板已同步', 'demo-liaison', ...heads]);

		// the same tablet again: this time the edit is discarded on purpose
		await logIn(a, f.server.url, 'demo-liaison');
		await waitForHome(a);
		await goToGrids(a);
		await openGrid(a, 'g2');
		await editHeadOffline(a, '共享平板已放弃');
		await a.click('[data-testid=logout]');
		await a.click('[data-testid=logout-discard]');
		await a.click('[data-testid=logout-discard-confirm]');
		await a.waitForURL('**/login');
		await expectNothingReadable(a, ['共享平板已放弃', 'demo-liaison', ...heads]);
		await a.context().setOffline(false);
	});

	it("a login removes copies of documents the user may no longer open, with a message", async () => {
		const admin = await f.server.login('demo-admin');
		const liaison = 'u-demo-liaison';
		const extra = { role: 'liaison', level: 'grid', placeId: 'g4' };
		expect((await call(f.server, admin, 'POST', `/api/admin/users/${liaison}/memberships`, extra)).status).toBe(201);

		const a = await f.tablet('demo-liaison', 'g4');
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`);
		const before = await dumpIndexedDb(a);
		expect(before.tongxin.grids.map((g) => (g as { id: string }).id).sort()).toEqual(['g2', 'g4']);

		expect((await call(f.server, admin, 'DELETE', `/api/admin/users/${liaison}/memberships`, extra)).status).toBe(200);
		// live: the open grid stops syncing and the tablet says so
		await a.waitForSelector('[data-testid=access-revoked][data-docs="grid:g4"]', { timeout: 15_000 });
		await logIn(a, f.server.url, 'demo-liaison');
		await waitForHome(a);
		await a.waitForSelector('[data-testid=device-notice][data-removed="1"]');
		expect(await a.textContent('[data-testid=device-notice]')).toContain('已从本机移除 1 份');
		const after = await dumpIndexedDb(a);
		expect(after.tongxin.grids.map((g) => (g as { id: string }).id)).toEqual(['g2']);
		expect(after.tongxin['$grids.doc_updates'].filter((u) => (u as { k: string }).k === 'g4')).toEqual([]);
		expect(after.tongxin.syncState.map((s) => (s as { docName: string }).docName)).not.toContain('grid:g4');
	});

	it("another user's unsent edits are not opened for the next user, and go up at their own next login", async () => {
		const a = await f.tablet('demo-liaison', 'g2');
		const target = await editHeadOffline(a, '留给本人同步');
		withDb(f.server, (db) => db.prepare("UPDATE sessions SET expires_at = 1 WHERE user_id = 'u-demo-liaison'").run());
		await a.context().setOffline(false);
		await a.waitForSelector('[data-testid=session-expired]');

		// a grid worker of g1 takes the tablet without the liaison logging out
		// (in this tab, without a reload: the liaison's grid is still open in the background)
		await a.click('header a[href="/grids"]');
		await a.click('[data-testid=session-expired]');
		await a.waitForSelector('[data-testid=login-form]');
		const mark = f.server.output().length;
		await a.fill('input[name=username]', 'demo-gridworker');
		await a.waitForSelector('[data-testid=login-others-pending]');
		expect(await a.textContent('[data-testid=login-others-pending]')).toContain('仍留在本机');
		await a.fill('input[name=password]', DEMO_PASSWORD);
		await a.click('button[type=submit]');
		await a.waitForURL('**/grids');
		await openGrid(a, 'g1');
		await a.waitForSelector(`${syncStatus}[data-network=online]`);
		expect(await a.locator('[data-testid=session-expired]').count()).toBe(0);
		expect(f.server.output().slice(mark)).not.toMatch(/doc=grid:g2/);
		// kept for its author, not lost: g1 was never the liaison's
		expect(dumpText(await dumpIndexedDb(a))).toContain('留给本人同步');

		await logIn(a, f.server.url, 'demo-liaison');
		await waitForHome(a);
		await a.waitForSelector(`${syncStatus}[data-unsynced="0"]`);
		await expect.poll(() => headOnServer('g2', target), { timeout: 30_000 }).toBe('留给本人同步');
	});
});
