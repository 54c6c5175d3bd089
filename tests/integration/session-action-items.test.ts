/**
 * Action items (任务) of a community's sessions: an owner's task list and the community's
 * overdue list, from the server's stored documents.
 */
import { describe, expect, it } from 'vitest';
import { addActionItem, addAgendaItem, addResolution, closeSession, markPresent, readSessionMeta, setActionItemStatus, startSession } from '../../src/lib/domain/session-doc.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { createSessionApi } from '../helpers/sessions.ts';

const f = useServerAndClients();

const CHAIR = 'u-demo-committee';
const POLICE = 'u-demo-police';

async function get(token: string, query: string, communityId = 'c1'): Promise<Response> {
	return fetch(`${f.server.url}/api/communities/${communityId}/action-items${query}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('GET /api/communities/:id/action-items', () => {
	it("lists an owner's tasks and the community's overdue ones", async () => {
		const token = await f.server.login('demo-committee');
		const { id } = await createSessionApi(f.server, token, { title: '停车位议事会' });
		const c = f.open(`session:${id}`, token);
		await waitAcknowledged(c);
		startSession(c.doc, CHAIR);
		markPresent(c.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
		markPresent(c.doc, POLICE, { name: '赵志强', role: 'policeDeputy' }, CHAIR);
		const item = addAgendaItem(c.doc, '停车位', CHAIR);
		const r = addResolution(c.doc, { text: '划定临时停车位', agendaItemId: item }, CHAIR);
		const late = addActionItem(c.doc, { resolutionId: r, text: '画线', owner: POLICE, due: '2026-11-01' });
		addActionItem(c.doc, { resolutionId: r, text: '通知住户', owner: POLICE, due: '2026-12-01' });
		const done = addActionItem(c.doc, { resolutionId: r, text: '测量', owner: CHAIR, due: '2026-10-01' });
		setActionItemStatus(c.doc, done, 'done');
		await waitAcknowledged(c);

		const police = await f.server.login('demo-police');
		const mine = (await (await get(police, '?owner=me&today=2026-11-20')).json()) as { text: string; ownerName: string; sessionTitle: string; overdue: boolean }[];
		expect(mine.map((i) => i.text)).toEqual(['画线', '通知住户']);
		expect(mine[0]).toMatchObject({ ownerName: '赵志强', sessionTitle: '停车位议事会', overdue: true });
		expect(mine[1].overdue).toBe(false);

		const overdue = (await (await get(token, '?overdue=1&today=2026-11-20')).json()) as { id: string }[];
		expect(overdue.map((i) => i.id)).toEqual([late]);
	});

	it("marks an owner's open task of signed-off, frozen minutes as frozen and names the chair to tell", async () => {
		const token = await f.server.login('demo-committee');
		const { id } = await createSessionApi(f.server, token, { title: '路灯议事会' });
		const c = f.open(`session:${id}`, token);
		await waitAcknowledged(c);
		startSession(c.doc, CHAIR);
		markPresent(c.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
		markPresent(c.doc, POLICE, { name: '赵志强', role: 'policeDeputy' }, CHAIR);
		const item = addAgendaItem(c.doc, '路灯', CHAIR);
		const r = addResolution(c.doc, { text: '更换路灯', agendaItemId: item }, CHAIR);
		addActionItem(c.doc, { resolutionId: r, text: '联系供电所', owner: POLICE, due: '2026-12-10' });
		await waitAcknowledged(c);
		const police = await f.server.login('demo-police');
		const mine = async () => ((await (await get(police, '?owner=me&today=2026-11-20')).json()) as { text: string; frozen: boolean; chairName: string }[]).find((i) => i.text === '联系供电所');
		expect(await mine()).toMatchObject({ frozen: false, chairName: '陈国平' });

		closeSession(c.doc, CHAIR, '赵志强离场前已口头确认');
		await waitFor(() => readSessionMeta(c.doc).frozenHash !== null, 'the freeze');
		expect(await mine()).toMatchObject({ frozen: true, chairName: '陈国平' });
	});

	it('refuses outsiders and bad dates', async () => {
		expect((await get(await f.server.login('demo-liaison'), '')).status).toBe(200); // a grid member of c1 reads c1's
		expect((await get(await f.server.login('demo-liaison'), '', 'c2')).status).toBe(403);
		expect((await get(await f.server.login('demo-committee'), '?today=soon')).status).toBe(400);
		expect((await fetch(`${f.server.url}/api/communities/c1/action-items`)).status).toBe(401);
	});
});
