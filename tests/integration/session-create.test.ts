/**
 * Creating and listing a community's deliberation sessions over HTTP, and opening the new
 * session's document over WebSocket (access from the session's record, ACCESS_MATRIX).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSessionMeta } from '../../src/lib/domain/session-doc.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createSessionApi, listSessionsApi } from '../helpers/sessions.ts';

let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startServer();
});
afterEach(() => {
	for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
	await server?.stop();
});

const post = (token: string | null, body: unknown, communityId = 'c1') =>
	fetch(`${server.url}/api/communities/${communityId}/sessions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});

describe('POST /api/communities/:id/sessions', () => {
	it('creates a session chaired by its creator; its document already holds the meta', async () => {
		const token = await server.login('demo-committee');
		const created = await createSessionApi(server, token, { title: '  停车位议事会 ' });
		expect(created).toMatchObject({ communityId: 'c1', title: '停车位议事会', status: 'upcoming', chairId: 'u-demo-committee', frozenHash: null });
		const c = connect(server.wsUrl, `session:${created.id}`, token);
		clients.push(c);
		await waitAcknowledged(c);
		expect(readSessionMeta(c.doc)).toMatchObject({
			title: '停车位议事会',
			communityId: 'c1',
			chairId: 'u-demo-committee',
			status: 'upcoming',
			place: { lng: 120.241, lat: 29.712, label: '3 号楼前' }
		});
	});

	it('refuses roles without write access to sessions, unknown communities, bad bodies and no session', async () => {
		const committee = await server.login('demo-committee');
		expect((await post(await server.login('demo-gridworker'), { title: 't', startsAt: '2026-11-23T09:00:00Z' })).status).toBe(403);
		expect((await post(committee, { title: 't', startsAt: '2026-11-23T09:00:00Z' }, 'c2')).status).toBe(403);
		expect((await post(committee, { title: 't', startsAt: '2026-11-23T09:00:00Z' }, 'nowhere')).status).toBe(404);
		expect((await post(null, { title: 't', startsAt: '2026-11-23T09:00:00Z' })).status).toBe(401);
		const bad = await post(committee, { title: '', startsAt: 'tomorrow' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).error).toBe('invalidBody');
		expect((await post(committee, '{"title":')).status).toBe(400);
	});

	it('the street admin and the police deputy may create; the admin sees every community', async () => {
		const admin = await server.login('demo-admin');
		expect((await createSessionApi(server, admin, {}, 'c2')).communityId).toBe('c2');
		expect((await createSessionApi(server, await server.login('demo-police'))).communityId).toBe('c1');
	});
});

describe('GET /api/communities/:id/sessions', () => {
	it('lists the community sessions with their status, soonest first; refuses outsiders', async () => {
		const token = await server.login('demo-mediator');
		const later = await createSessionApi(server, token, { title: '晚', startsAt: '2026-12-01T09:00:00Z' });
		const sooner = await createSessionApi(server, token, { title: '早', startsAt: '2026-11-01T09:00:00Z' });
		const res = await listSessionsApi(server, token);
		expect(res.status).toBe(200);
		const list = (await res.json()) as { id: string; status: string }[];
		const ids = list.map((s) => s.id);
		expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(later.id));
		expect(list.every((s) => s.status === 'upcoming')).toBe(true);
		// a grid member (liaison of g2 in c1) reads its own community's list, not another's
		const liaison = await server.login('demo-liaison');
		const seen = await listSessionsApi(server, liaison);
		expect(seen.status).toBe(200);
		expect(((await seen.json()) as { id: string }[]).map((s) => s.id)).toEqual(ids);
		expect((await listSessionsApi(server, liaison, 'c2')).status).toBe(403);
		expect((await post(liaison, { title: 't', startsAt: '2026-11-23T09:00:00Z' })).status).toBe(403);
		const communities = await fetch(`${server.url}/api/communities`, { headers: { authorization: `Bearer ${liaison}` } });
		expect(await communities.json()).toEqual([{ id: 'c1', name: expect.any(String), access: 'read' }]);
	});

	it('a session document opens read-only to grid members of its community and is refused outside it', async () => {
		const created = await createSessionApi(server, await server.login('demo-committee'));
		const member = connect(server.wsUrl, `session:${created.id}`, await server.login('demo-gridworker'));
		clients.push(member);
		await waitFor(() => member.refusals.length > 0 || member.provider.isSynced, 'the grid worker to be admitted');
		expect(member.refusals).toEqual([]);
		expect(member.provider.authorizedScope).toBe('readonly');
		const elsewhere = await createSessionApi(server, await server.login('demo-admin'), {}, 'c2');
		const outsider = connect(server.wsUrl, `session:${elsewhere.id}`, await server.login('demo-liaison'));
		clients.push(outsider);
		await waitFor(() => outsider.refusals.length > 0, 'the refusal');
		const unknown = connect(server.wsUrl, 'session:NOSUCHSESSION', await server.login('demo-committee'));
		clients.push(unknown);
		await waitFor(() => unknown.refusals.length > 0, 'the refusal of an unknown session');
	});
});

describe('GET /api/communities/:id/members', () => {
	it('lists who may take part in the community sessions, with their access', async () => {
		const res = await fetch(`${server.url}/api/communities/c1/members`, {
			headers: { authorization: `Bearer ${await server.login('demo-committee')}` }
		});
		expect(res.status).toBe(200);
		const members = (await res.json()) as { id: string; access: string }[];
		const access = Object.fromEntries(members.map((m) => [m.id, m.access]));
		expect(access['u-demo-police']).toBe('write');
		expect(access['u-demo-admin']).toBe('write');
		expect(access['u-demo-liaison']).toBe('read'); // grid members are members of the community
		expect(access['u-demo-gridworker']).toBe('read');
		const outsider = await fetch(`${server.url}/api/communities/c2/members`, {
			headers: { authorization: `Bearer ${await server.login('demo-liaison')}` }
		});
		expect(outsider.status).toBe(403);
	});

	it('keeps the invited participants in the session', async () => {
		const token = await server.login('demo-committee');
		const created = await createSessionApi(server, token, { invited: ['u-demo-police', 'u-demo-mediator'] });
		const c = connect(server.wsUrl, `session:${created.id}`, token);
		clients.push(c);
		await waitAcknowledged(c);
		expect(readSessionMeta(c.doc).invited).toEqual(['u-demo-mediator', 'u-demo-police']);
	});
});

describe('GET /api/communities/:id/boundaries', () => {
	it('gives the community grid boundaries for its session map', async () => {
		const res = await fetch(`${server.url}/api/communities/c1/boundaries`, {
			headers: { authorization: `Bearer ${await server.login('demo-police')}` }
		});
		expect(res.status).toBe(200);
		const grids = (await res.json()) as { gridId: string; boundary: { type: string } | null }[];
		expect(grids.map((g) => g.gridId).sort()).toEqual(['g1', 'g2', 'g3']);
		expect(grids.every((g) => g.boundary?.type === 'Polygon')).toBe(true);
		const outsider = await fetch(`${server.url}/api/communities/c2/boundaries`, {
			headers: { authorization: `Bearer ${await server.login('demo-liaison')}` }
		});
		expect(outsider.status).toBe(403);
	});
});
