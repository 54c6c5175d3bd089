/**
 * Attribution (issue 3): the household editor's change history says who changed which field
 * and when, read from the server's update log.
 */
import { describe, expect, it } from 'vitest';
import { listState, row } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const syncStatus = '[data-testid=sync-status]';

describe('change history', () => {
	it('shows who changed a field and a colour, with the values', async () => {
		const a = await f.tablet('demo-gridworker', 'g1');
		await a.waitForSelector(`${syncStatus}[data-network=online]`);
		const target = (await listState(a))[4];
		await a.click(row(target.id));
		const phone = a.locator('[data-testid=field-phone]');
		await phone.fill('13900001111');
		await phone.press('Enter');
		const next = target.colour === 'red' ? 'green' : 'red';
		await a.click(`[data-testid=pick-${next}]`);
		await a.fill('[data-testid=colour-reason]', '历史测试');
		await a.click('[data-testid=change-colour]');
		await a.waitForSelector(`${syncStatus}[data-unsynced="0"]`);

		await a.keyboard.press('Escape');
		await a.click(row(target.id));
		await a.waitForSelector('[data-testid=change-history][data-state=ready]');
		const me = (await a.textContent('[data-testid=user-name]'))!.trim();
		const phoneChange = a.locator(`[data-testid=change][data-field=phone]`).first();
		expect(await phoneChange.getAttribute('data-user')).toBe(me);
		expect(await phoneChange.textContent()).toContain('13900001111');
		const colourChange = a.locator(`[data-testid=change][data-field=colour]`).first();
		expect(await colourChange.getAttribute('data-user')).toBe(me);
		expect(await colourChange.textContent()).toContain(next === 'red' ? '红' : '绿');
	});
});
