/**
 * The forms let nobody type more than the server accepts (schema-check.ts FIELD_LIMITS, read
 * by the forms' maxlength and by the rules alike): an over-long text is cut at the limit while
 * typing, and what is saved reaches the server (no refusal, nothing left unsynced).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIELD_LIMITS } from '../../src/lib/domain/schema-check.ts';
import { createSessionApi } from '../helpers/sessions.ts';
import { listState, logIn, row, waitForHome } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const refusals = () => f.server.rawOutput().split('\n').filter((l) => l.includes('collab.ruleRefused')).length;
const long = (n: number) => '长'.repeat(n + 50);
const valueLength = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLInputElement).value.length);

/** Types an over-long text as a user would (keyboard input, which maxlength governs). */
async function typeLong(page: Page, selector: string, limit: number): Promise<void> {
	await page.click(selector);
	await page.keyboard.insertText(long(limit));
}

describe('form fields and the server limits', () => {
	it('the household editor cuts address, head and colour reason at the server limits, and the saved values reach the server', async () => {
		const page = await f.tablet('demo-gridworker', 'g1');
		const [household] = await listState(page);
		await page.click(row(household.id));
		await page.waitForSelector(`[data-testid=household-editor][data-household-id="${household.id}"]`);
		for (const [field, limit] of [
			['field-address', FIELD_LIMITS.householdAddress],
			['field-head', FIELD_LIMITS.householdHead]
		] as const) {
			await page.fill(`[data-testid=${field}]`, '');
			await typeLong(page, `[data-testid=${field}]`, limit);
			expect(await valueLength(page, `[data-testid=${field}]`)).toBe(limit);
			await page.press(`[data-testid=${field}]`, 'Tab'); // saves the field (change)
		}
		const to = ['red', 'orange', 'yellow', 'green'].find((c) => c !== household.colour)!;
		await page.click(`[data-testid=pick-${to}]`);
		await typeLong(page, '[data-testid=colour-reason]', FIELD_LIMITS.colourReason);
		expect(await valueLength(page, '[data-testid=colour-reason]')).toBe(FIELD_LIMITS.colourReason);
		await page.click('[data-testid=change-colour]');
		// the new address sorts the row elsewhere in the windowed list: the editor's history shows it
		await page.waitForSelector(`[data-testid=colour-event][data-to=${to}]`);
		await page.waitForSelector('[data-testid=sync-status][data-network=online][data-unsynced="0"]');
		expect(refusals()).toBe(0);
		expect(await page.locator('[data-testid=grid-refused]').count()).toBe(0);
	});

	it("a liaison member's visit note and wish text stop at the server limits", async () => {
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-liaison');
		await waitForHome(page);
		await page.goto(`${f.server.url}/liaison/g2`);
		await page.click('[data-testid=due-row] >> nth=0');
		await page.waitForSelector('[data-testid=visit-form]');
		await typeLong(page, '[data-testid=visit-note]', FIELD_LIMITS.visitNote);
		expect(await valueLength(page, '[data-testid=visit-note]')).toBe(FIELD_LIMITS.visitNote);
		await page.click('[data-testid=visit-save]');
		await page.waitForSelector('[data-testid=visit-saved]');

		await page.click('[data-testid=tab-wishes]');
		await page.waitForSelector('[data-testid=wish-new]');
		await typeLong(page, '[data-testid=wish-text]', FIELD_LIMITS.wishText);
		expect(await valueLength(page, '[data-testid=wish-text]')).toBe(FIELD_LIMITS.wishText);
		await page.waitForSelector('[data-testid=sync-status][data-network=online][data-unsynced="0"]');
		expect(refusals()).toBe(0);
	});

	it("the chair's action item, agenda item and resolution stop at the session rules' limits", async () => {
		const session = await createSessionApi(f.server, await f.server.login('demo-committee'), { title: '字数上限议事会' });
		const page = await f.page();
		await logIn(page, f.server.url, 'demo-committee');
		await waitForHome(page);
		await page.goto(`${f.server.url}/sessions/${session.id}`);
		await page.click('[data-testid=session-start]');
		await page.fill('[data-testid=agenda-title]', '费用分摊');
		await page.click('[data-testid=agenda-add]');
		await page.waitForSelector('[data-testid=agenda-item]');
		await page.fill('[data-testid=resolution-text]', '同意分摊');
		await page.click('[data-testid=resolution-add]');
		await page.waitForSelector('[data-testid=action-text]');
		await typeLong(page, '[data-testid=action-text]', FIELD_LIMITS.actionItemText);
		expect(await valueLength(page, '[data-testid=action-text]')).toBe(FIELD_LIMITS.actionItemText);
		for (const [field, limit] of [
			['agenda-title', FIELD_LIMITS.agendaTitle],
			['resolution-text', FIELD_LIMITS.resolutionText]
		] as const) {
			await typeLong(page, `[data-testid=${field}]`, limit);
			expect(await valueLength(page, `[data-testid=${field}]`)).toBe(limit);
		}
	});
});
