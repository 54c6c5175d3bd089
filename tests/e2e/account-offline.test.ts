/**
 * Offline access and expiry (issue 3): a liaison member keeps working offline after the
 * server ended the session, logs in again and lands where they were, and the edits arrive on
 * the server under their name. Past the offline window the device asks for the password
 * before opening anything, and keeps its data.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, withDb } from '../helpers/access.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';
import { listState, row, waitForServiceWorker } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';
import { dumpIndexedDb, dumpText, patchAccount } from './idb.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

/** Ends every server session of `username` by moving its expiry into the past (test-only, in the store). */
function expireSessions(username: string): number {
	return withDb(f.server, (db) =>
		Number(db.prepare('UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = ?)').run(username).changes)
	);
}

async function editHead(page: Page, householdId: string, text: string): Promise<void> {
	await page.click(row(householdId));
	const head = page.locator('[data-testid=field-head]');
	await head.fill(text);
	await head.press('Enter');
}

async function submitPassword(page: Page): Promise<void> {
	await page.fill('input[name=password]', DEMO_PASSWORD);
	await page.click('button[type=submit]');
}

describe('offline access and expiry', () => {
	it('a liaison member edits offline past the session expiry; after logging in again the edits arrive', async () => {
		const a = await f.tablet('demo-liaison', 'g2');
		await a.waitForSelector(`${syncStatus}[data-network=online]`);
		const target = (await listState(a))[3];
		// the server told the device its offline window at login
		expect((await dumpIndexedDb(a)).tongxin.account[0]).toMatchObject({ offlineGraceDays: 14 });

		await a.context().setOffline(true);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);
		await editHead(a, target.id, '离线过期后修改');
		await a.waitForSelector('[data-testid=unsynced-count]');
		expect(expireSessions('demo-liaison')).toBeGreaterThan(0);

		// back online: the server refuses the old session, the edit stays on the device
		await a.context().setOffline(false);
		await a.waitForSelector('[data-testid=session-expired]');
		expect(await a.getAttribute(syncStatus, 'data-unsynced')).not.toBe('0');
		expect(await a.textContent(row(target.id))).toContain('离线过期后修改');

		// logging out now would lose the edit: the dialog offers a new login instead
		await a.click('[data-testid=logout]');
		await a.waitForSelector('[data-testid=logout-relogin]');
		expect(await a.getAttribute('[data-testid=logout-relogin]', 'href')).toContain('returnTo=%2Fgrids%2Fg2');
		await a.click('[data-testid=logout-cancel]');

		await a.click('[data-testid=session-expired]');
		await a.waitForSelector('[data-testid=login-reason][data-reason=expired]');
		expect(await a.inputValue('input[name=username]')).toBe('demo-liaison');
		await submitPassword(a);
		await a.waitForURL('**/grids/g2');
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`, { timeout: 30_000 });
		expect(await a.locator('[data-testid=session-expired]').count()).toBe(0);

		const admin = await f.server.login('demo-admin');
		const history = await call(f.server, admin, 'GET', '/api/docs/grid:g2/history?limit=50');
		expect(history.status).toBe(200);
		const change = history.body.changes.find((c: { householdId: string; field: string }) => c.householdId === target.id && c.field === 'head');
		expect(change).toMatchObject({ to: '离线过期后修改', user: expect.any(String) });
		const liaison = withDb(f.server, (db) => db.prepare("SELECT id FROM users WHERE username = 'demo-liaison'").get() as { id: string });
		expect(change.userId).toBe(liaison.id);
	});

	it('a read-only role stays read-only offline, before the server can say so', async () => {
		const p = await f.tablet('demo-police', 'g1');
		await p.waitForSelector(`${syncStatus}[data-network=online]`);
		await waitForServiceWorker(p);
		const target = (await listState(p))[0];
		await p.context().setOffline(true);
		await p.waitForSelector(`${syncStatus}[data-network=offline]`);
		const response = await p.reload();
		expect(response?.fromServiceWorker()).toBe(true);
		await p.waitForSelector(row(target.id));
		await p.click(row(target.id));
		await p.waitForSelector('[data-testid=field-head]:disabled');
		await p.context().setOffline(false);
	});

	it('past the offline window the app asks for the password before opening anything; the data stays', async () => {
		const a = await f.tablet('demo-liaison', 'g2');
		await a.waitForSelector(`${syncStatus}[data-network=online][data-unsynced="0"]`);
		await a.context().setOffline(true);
		await a.waitForSelector(`${syncStatus}[data-network=offline]`);
		const longAgo = new Date(Date.now() - 20 * 24 * 60 * 60 * 1000).toISOString();
		await patchAccount(a, { lastLoginAt: longAgo, lastValidatedAt: longAgo });

		await a.click('header a[href="/grids"]');
		await a.waitForURL(/\/login\?reason=offlineEnded&returnTo=%2Fgrids$/);
		await a.waitForSelector('[data-testid=login-reason][data-reason=offlineEnded]');
		expect(await a.locator('[data-testid=continue-offline]').count()).toBe(0);
		// nothing was removed: the grid and its updates are still on the device
		const dump = await dumpIndexedDb(a);
		expect(dump.tongxin.grids.map((g) => (g as { id: string }).id)).toContain('g2');
		expect(dumpText(dump)).toContain('离线过期后修改');

		await a.context().setOffline(false);
		await submitPassword(a);
		await a.waitForURL('**/grids');
		await a.waitForSelector('[data-testid=grid-link][data-grid-id=g2]');
	});
});
