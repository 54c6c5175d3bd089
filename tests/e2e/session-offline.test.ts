/**
 * A vote cast on a tablet with no network counts once it reconnects, even if the voter has
 * left the session page meanwhile: the session stays connected in the background until the
 * server holds the vote. The chair here is a plain provider in the test process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import {
	addAgendaItem,
	draftProposal,
	markPresent,
	openVote,
	readProposal,
	startSession
} from '../../src/lib/domain/session-doc.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createSessionApi } from '../helpers/sessions.ts';
import { launchBrowser, logIn, newContext } from './browser.ts';

let server: TestServer;
let browser: Browser;
let chair: Client | null = null;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

afterAll(async () => {
	chair?.destroy();
	for (const c of contexts) await c.close().catch(() => undefined);
	await browser?.close();
	await server?.stop();
});

describe('a vote cast offline', () => {
	it('reaches the server after reconnecting, though the voter left the session page', async () => {
		const token = await server.login('demo-committee');
		const { id } = await createSessionApi(server, token);
		chair = connect(server.wsUrl, `session:${id}`, token);
		await waitAcknowledged(chair);
		const CHAIR = 'u-demo-committee';
		startSession(chair.doc, CHAIR);
		markPresent(chair.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
		markPresent(chair.doc, 'u-demo-police', { name: '赵志强', role: 'policeDeputy' }, CHAIR);
		const item = addAgendaItem(chair.doc, '费用分摊', CHAIR);
		const proposal = draftProposal(chair.doc, { text: '按楼层分摊', agendaItemId: item }, CHAIR);
		openVote(chair.doc, proposal, CHAIR);
		await waitAcknowledged(chair);

		const context = await newContext(browser);
		contexts.push(context);
		const page = await context.newPage();
		page.on('pageerror', (e) => console.error('pageerror:', e.message));
		await logIn(page, server.url, 'demo-police');
		await page.waitForURL('**/grids');
		await page.goto(`${server.url}/sessions/${id}`);
		await page.waitForSelector('[data-testid=vote-for]');

		await context.setOffline(true);
		await page.waitForSelector('[data-testid=sync-status][data-network=offline]');
		await page.click('[data-testid=vote-for]');
		await page.waitForSelector('[data-testid=my-vote]');
		// leave the session page while still offline
		await page.click('[data-testid=nav-sessions]');
		await page.waitForURL('**/sessions');
		expect(readProposal(chair.doc, proposal)?.votes).toEqual([]);

		await context.setOffline(false);
		await waitFor(() => readProposal(chair!.doc, proposal)?.votes.length === 1, 'the offline vote to reach the chair', 30_000);
		expect(readProposal(chair.doc, proposal)?.votes[0]).toMatchObject({ userId: 'u-demo-police', choice: 'for' });
	});
});
