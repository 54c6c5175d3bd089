/**
 * Issue 13: a task cannot be completed once its minutes are frozen (the signed-off document
 * refuses every edit), yet 我的任务 went on listing it as open. Now its owner sees it apart,
 * under the frozen minutes, told that it can no longer be marked done here and whom to tell.
 */
import { describe, expect, it } from 'vitest';
import { addActionItem, addAgendaItem, addResolution, closeSession, markPresent, readSessionMeta, startSession } from '../../src/lib/domain/session-doc.ts';
import { connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { createSessionApi } from '../helpers/sessions.ts';
import { logIn, waitForHome } from './browser.ts';
import { useServerAndBrowser } from './fixture.ts';

const f = useServerAndBrowser();
const CHAIR = 'u-demo-committee';
const POLICE = 'u-demo-police';

describe('我的任务 and frozen minutes', () => {
	it("lists an owner's task of signed-off minutes apart, says it can no longer be marked done, and names the chair", async () => {
		const token = await f.server.login('demo-committee');
		const open = await createSessionApi(f.server, token, { title: '垃圾分类议事会' });
		const frozen = await createSessionApi(f.server, token, { title: '路灯议事会' });
		for (const [session, text] of [
			[open, '张贴分类指引'],
			[frozen, '联系供电所']
		] as const) {
			const chair = connect(f.server.wsUrl, `session:${session.id}`, token);
			await waitAcknowledged(chair);
			startSession(chair.doc, CHAIR);
			markPresent(chair.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
			markPresent(chair.doc, POLICE, { name: '赵志强', role: 'policeDeputy' }, CHAIR);
			const item = addAgendaItem(chair.doc, '议题', CHAIR);
			const r = addResolution(chair.doc, { text: '决议', agendaItemId: item }, CHAIR);
			addActionItem(chair.doc, { resolutionId: r, text, owner: POLICE, due: '2026-12-10' });
			await waitAcknowledged(chair);
			if (session === frozen) {
				closeSession(chair.doc, CHAIR, '赵志强离场前已口头确认');
				await waitFor(() => readSessionMeta(chair.doc).frozenHash !== null, 'the freeze');
			}
			chair.destroy();
		}

		const page = await f.page();
		await logIn(page, f.server.url, 'demo-police');
		await waitForHome(page);
		await page.click('[data-testid=nav-sessions]');
		await page.waitForSelector('[data-testid=frozen-tasks] [data-testid=task]');
		expect(await page.textContent('[data-testid=my-tasks]')).toContain('张贴分类指引');
		expect(await page.textContent('[data-testid=my-tasks]')).not.toContain('联系供电所');
		const frozenList = await page.textContent('[data-testid=frozen-tasks]');
		expect(frozenList).toContain('联系供电所');
		expect(frozenList).toContain('路灯议事会');
		expect(frozenList).toContain('完成后请告知主持人 陈国平');
		expect(await page.textContent('[data-testid=frozen-tasks-note]')).toContain('不能再在系统中标记完成');
	});
});
