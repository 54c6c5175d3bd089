/**
 * The admin, sessions and history API against a real server: strangers get 401, non-admins
 * 403, admins act only within their jurisdiction; users, memberships, places and boundaries
 * change as asked (boundaries and names live in connected clients); history names who
 * changed what; logins are rate limited; the cookie is Secure behind https.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeColour, listHouseholds, readGridMeta } from '../../src/lib/domain/grid-doc.ts';
import { call, updatesBy } from '../helpers/access.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let admin: string;
let committee: string;
const clients: Client[] = [];

const square = (lng: number, lat: number, d = 0.002) => ({
	type: 'Polygon',
	coordinates: [
		[
			[lng, lat],
			[lng + d, lat],
			[lng + d, lat + d],
			[lng, lat + d],
			[lng, lat]
		]
	]
});

beforeAll(async () => {
	server = await startServer();
	admin = await server.login('demo-admin');
	committee = await server.login('demo-committee');
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.stop();
});

const ROUTES: [string, string, unknown?][] = [
	['GET', '/api/admin/users'],
	['POST', '/api/admin/users', { username: 'x1', password: 'long-enough', displayName: 'x', membership: { role: 'liaison', level: 'grid', placeId: 'g1' } }],
	['GET', '/api/admin/users/u-demo-gridworker'],
	['PATCH', '/api/admin/users/u-demo-gridworker', { disabled: true }],
	['POST', '/api/admin/users/u-demo-gridworker/memberships', { role: 'liaison', level: 'grid', placeId: 'g1' }],
	['DELETE', '/api/admin/users/u-demo-gridworker/memberships', { role: 'gridWorker', level: 'grid', placeId: 'g1' }],
	['GET', '/api/admin/users/u-demo-gridworker/sessions'],
	['DELETE', '/api/admin/users/u-demo-gridworker/sessions'],
	['GET', '/api/admin/places'],
	['POST', '/api/admin/places', { level: 'grid', name: 'x', parentId: 'c1' }],
	['PATCH', '/api/admin/places/g1', { name: 'x' }],
	['PUT', '/api/admin/grids/g1/boundary', square(120.24, 29.71)]
];

describe('who may use the admin API', () => {
	it('answers 401 to strangers and 403 to non-admins on every admin route, changing nothing', async () => {
		for (const [method, path, body] of ROUTES) {
			const stranger = await call(server, null, method, path, body);
			expect([method, path, stranger.status, stranger.body?.error]).toEqual([method, path, 401, 'unauthenticated']);
			const member = await call(server, committee, method, path, body);
			expect([method, path, member.status, member.body?.error]).toEqual([method, path, 403, 'forbidden']);
		}
		const gridworker = await call(server, admin, 'GET', '/api/admin/users/u-demo-gridworker');
		expect(gridworker.body.user).toMatchObject({ disabled: false, memberships: [{ role: 'gridWorker', level: 'grid', placeId: 'g1' }] });
		expect(readGridMetaName(await call(server, admin, 'GET', '/api/admin/places'), 'g1')).toBe('枫源村一组');
		await server.waitForOutput(/http\.refused route="POST \/api\/admin\/users" status=403 error=forbidden/);
	});

	it('keeps a community admin within that community', async () => {
		const made = await call(server, admin, 'POST', '/api/admin/users', {
			username: 'c2-admin',
			password: 'c2-admin-password',
			displayName: '新枫管理员',
			membership: { role: 'admin', level: 'community', placeId: 'c2' }
		});
		expect(made.status).toBe(201);
		const c2admin = await server.login('c2-admin', 'c2-admin-password');

		const tree = await call(server, c2admin, 'GET', '/api/admin/places');
		expect(tree.body.places.map((p: { id: string; children: { id: string }[] }) => [p.id, p.children.map((g) => g.id)])).toEqual([
			['c2', ['g4', 'g5', 'g6']]
		]);
		const users = (await call(server, c2admin, 'GET', '/api/admin/users')).body.users.map((u: { username: string }) => u.username);
		expect(users).toContain('c2-admin');
		expect(users).not.toContain('demo-gridworker');
		expect((await call(server, c2admin, 'GET', '/api/admin/users/u-demo-gridworker')).status).toBe(404);
		expect((await call(server, c2admin, 'PATCH', '/api/admin/users/u-demo-gridworker', { disabled: true })).status).toBe(404);
		expect((await call(server, c2admin, 'POST', '/api/admin/places', { level: 'grid', name: '越权', parentId: 'c1' })).status).toBe(403);
		expect((await call(server, c2admin, 'PUT', '/api/admin/grids/g1/boundary', square(120.24, 29.71))).status).toBe(403);
		expect((await call(server, c2admin, 'POST', '/api/admin/places', { level: 'community', name: '越级', parentId: 'st1' })).status).toBe(403);
		const own = await call(server, c2admin, 'POST', '/api/admin/places', { level: 'grid', id: 'g7', name: '新枫社区七组', parentId: 'c2' });
		expect(own.status).toBe(201);
		// A user who also works in c1 is seen by the c2 admin but not theirs to disable.
		const both = await call(server, admin, 'POST', '/api/admin/users', {
			username: 'both-places',
			password: 'both-places-pw',
			displayName: '两地',
			membership: { role: 'liaison', level: 'grid', placeId: 'g1' }
		});
		await call(server, admin, 'POST', `/api/admin/users/${both.body.user.id}/memberships`, { role: 'liaison', level: 'grid', placeId: 'g4' });
		expect((await call(server, c2admin, 'GET', `/api/admin/users/${both.body.user.id}`)).status).toBe(200);
		const refused = await call(server, c2admin, 'PATCH', `/api/admin/users/${both.body.user.id}`, { password: 'taken-over!' });
		expect(refused.status).toBe(403);
		expect(await server.login('both-places', 'both-places-pw')).toMatch(/^[a-z2-7]{32}$/);
	});

	it('lets no admin see or act on a user who has no membership at all', async () => {
		const made = await call(server, admin, 'POST', '/api/admin/users', {
			username: 'no-place',
			password: 'no-place-pw1',
			displayName: '无岗位',
			membership: { role: 'liaison', level: 'grid', placeId: 'g5' }
		});
		const id = made.body.user.id;
		const taken = await call(server, admin, 'DELETE', `/api/admin/users/${id}/memberships`, { role: 'liaison', level: 'grid', placeId: 'g5' });
		expect(taken.body.user.memberships).toEqual([]);
		await call(server, admin, 'POST', '/api/admin/users', {
			username: 'c1-admin',
			password: 'c1-admin-password',
			displayName: '枫源管理员',
			membership: { role: 'admin', level: 'community', placeId: 'c1' }
		});
		const c1admin = await server.login('c1-admin', 'c1-admin-password');
		for (const who of [admin, c1admin]) {
			const listed = (await call(server, who, 'GET', '/api/admin/users')).body.users.map((u: { username: string }) => u.username);
			expect(listed).not.toContain('no-place');
			const acts = [
				await call(server, who, 'GET', `/api/admin/users/${id}`),
				await call(server, who, 'PATCH', `/api/admin/users/${id}`, { password: 'taken-over!' }),
				await call(server, who, 'POST', `/api/admin/users/${id}/memberships`, { role: 'admin', level: 'grid', placeId: 'g1' }),
				await call(server, who, 'GET', `/api/admin/users/${id}/sessions`),
				await call(server, who, 'DELETE', `/api/admin/users/${id}/sessions`)
			];
			expect(acts.map((a) => [a.status, a.body?.error])).toEqual(Array(5).fill([404, 'notFound']));
		}
		// nothing changed: the old password still works, and no membership was given
		expect(await server.login('no-place', 'no-place-pw1')).toMatch(/^[a-z2-7]{32}$/);
	});
});

function readGridMetaName(tree: { body: { places: any[] } }, id: string): string | undefined {
	const walk = (nodes: any[]): any => nodes.map((n) => (n.id === id ? n : walk(n.children))).find(Boolean);
	return walk(tree.body.places)?.name;
}

describe('users and memberships', () => {
	it('creates a user who can log in; refuses a taken name, a bad body and a membership at the wrong level', async () => {
		const body = { username: 'new-liaison', password: 'new-liaison-pw', displayName: '新党员', membership: { role: 'liaison', level: 'grid', placeId: 'g3' } };
		const made = await call(server, admin, 'POST', '/api/admin/users', body);
		expect(made.status).toBe(201);
		expect(made.body.user).toEqual({ id: expect.stringMatching(/^u-/), username: 'new-liaison', displayName: '新党员', disabled: false, memberships: [{ ...body.membership, communityId: 'c1' }] });
		const token = await server.login('new-liaison', 'new-liaison-pw');
		expect((await call(server, token, 'GET', '/api/grids')).body.map((g: { id: string }) => g.id)).toEqual(['g3']);

		expect((await call(server, admin, 'POST', '/api/admin/users', body)).body.error).toBe('usernameTaken');
		const bad = await call(server, admin, 'POST', '/api/admin/users', { ...body, username: 'a b', password: 'short' });
		expect(bad.status).toBe(400);
		expect(bad.body.message).toMatch(/username.*password|password.*username/s);
		const level = await call(server, admin, 'POST', '/api/admin/users', { ...body, username: 'lvl', membership: { role: 'liaison', level: 'community', placeId: 'g3' } });
		expect([level.status, level.body.error]).toEqual([400, 'levelMismatch']);
		expect((await call(server, admin, 'POST', '/api/admin/users', { ...body, username: 'nowhere', membership: { role: 'liaison', level: 'grid', placeId: 'g99' } })).status).toBe(404);
	});

	it('gives and takes memberships, and a new password ends the old sessions', async () => {
		const made = await call(server, admin, 'POST', '/api/admin/users', {
			username: 'member-x',
			password: 'member-x-pw1',
			displayName: '成员',
			membership: { role: 'liaison', level: 'grid', placeId: 'g5' }
		});
		const id = made.body.user.id;
		const given = await call(server, admin, 'POST', `/api/admin/users/${id}/memberships`, { role: 'mediator', level: 'community', placeId: 'c2' });
		expect(given.body.user.memberships).toHaveLength(2);
		const taken = await call(server, admin, 'DELETE', `/api/admin/users/${id}/memberships`, { role: 'liaison', level: 'grid', placeId: 'g5' });
		expect(taken.body.user.memberships).toEqual([{ role: 'mediator', level: 'community', placeId: 'c2' }]);
		expect((await call(server, admin, 'DELETE', `/api/admin/users/${id}/memberships`, { role: 'liaison', level: 'grid', placeId: 'g5' })).status).toBe(404);

		const old = await server.login('member-x', 'member-x-pw1');
		expect((await call(server, admin, 'GET', `/api/admin/users/${id}/sessions`)).body.sessions).toHaveLength(1);
		expect((await call(server, admin, 'PATCH', `/api/admin/users/${id}`, { password: 'member-x-pw2', displayName: '成员二' })).body.user.displayName).toBe('成员二');
		expect((await call(server, old, 'GET', '/api/session')).status).toBe(401);
		expect((await call(server, null, 'POST', '/api/session', { username: 'member-x', password: 'member-x-pw1' })).status).toBe(401);
		await server.login('member-x', 'member-x-pw2');
		expect((await call(server, admin, 'DELETE', `/api/admin/users/${id}/sessions`)).status).toBe(204);
		expect((await call(server, admin, 'GET', `/api/admin/users/${id}/sessions`)).body.sessions).toEqual([]);
		expect((await call(server, admin, 'PATCH', '/api/admin/users/u-demo-admin', { disabled: true })).body.error).toBe('cannotDisableSelf');
	});
});

describe('places and boundaries', () => {
	it('creates a community and a grid whose document carries its name; renames live', async () => {
		expect((await call(server, admin, 'POST', '/api/admin/places', { level: 'community', id: 'c3', name: '桥南村', parentId: 'st1' })).status).toBe(201);
		expect((await call(server, admin, 'POST', '/api/admin/places', { level: 'grid', id: 'g8', name: '桥南村一组', parentId: 'c3' })).status).toBe(201);
		expect((await call(server, admin, 'POST', '/api/admin/places', { level: 'grid', id: 'g8', name: '重复', parentId: 'c3' })).body.error).toBe('placeExists');
		expect((await call(server, admin, 'POST', '/api/admin/places', { level: 'grid', name: '错层', parentId: 'st1' })).body.error).toBe('levelMismatch');

		const c = connect(server.wsUrl, 'grid:g8', admin);
		clients.push(c);
		await waitAcknowledged(c);
		expect(readGridMeta(c.doc)).toMatchObject({ name: '桥南村一组', communityId: 'c3' });
		expect((await call(server, admin, 'PATCH', '/api/admin/places/g8', { name: '桥南村东组' })).body.place.name).toBe('桥南村东组');
		await waitFor(() => readGridMeta(c.doc).name === '桥南村东组', 'the new name to arrive live');
		expect(readGridMetaName(await call(server, admin, 'GET', '/api/admin/places'), 'g8')).toBe('桥南村东组');
	});

	it('sets a boundary that connected clients see at once, attributed to the admin; refuses invalid ones', async () => {
		const worker = connect(server.wsUrl, 'grid:g1', await server.login('demo-gridworker'));
		clients.push(worker);
		await waitAcknowledged(worker);
		const before = updatesBy(server, 'u-demo-admin', 'grid:g1');
		const boundary = square(120.241, 29.711);
		const res = await call(server, admin, 'PUT', '/api/admin/grids/g1/boundary', boundary);
		expect(res.status).toBe(200);
		await waitFor(() => JSON.stringify(readGridMeta(worker.doc).boundary) === JSON.stringify(boundary), 'the boundary to arrive live');
		expect(updatesBy(server, 'u-demo-admin', 'grid:g1')).toBe(before + 1);

		const open = { type: 'Polygon', coordinates: [boundary.coordinates[0].slice(0, 4)] };
		const huge = { type: 'Polygon', coordinates: [[...Array.from({ length: 5001 }, (_, i) => [120 + i / 1e6, 29.7]), [120, 29.7]]] };
		for (const bad of [open, huge, { type: 'Polygon', coordinates: [[[120, 29], [121, 'x'], [121, 30], [120, 29]]] }, { type: 'Point', coordinates: [120, 29] }]) {
			const r = await call(server, admin, 'PUT', '/api/admin/grids/g1/boundary', bad);
			expect([r.status, r.body.error]).toEqual([400, 'invalidBoundary']);
		}
		expect((await call(server, admin, 'PUT', '/api/admin/grids/c1/boundary', boundary)).status).toBe(404);
		expect(JSON.stringify(readGridMeta(worker.doc).boundary)).toBe(JSON.stringify(boundary));
	});
});

describe('sessions and history', () => {
	it('lists the caller\'s sessions; an admin may end another user\'s session, a member may not', async () => {
		expect((await call(server, null, 'GET', '/api/session/all')).status).toBe(401);
		const token = await server.login('demo-liaison');
		const listed = await call(server, token, 'GET', '/api/session/all');
		const current = listed.body.sessions.find((s: { current: boolean }) => s.current);
		expect(current).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: expect.any(String), expiresAt: expect.any(String) });
		expect((await call(server, committee, 'DELETE', `/api/session/all/${current.id}`)).status).toBe(404);
		expect((await call(server, token, 'GET', '/api/session')).status).toBe(200);
		expect((await call(server, admin, 'DELETE', `/api/session/all/${current.id}`)).status).toBe(204);
		expect((await call(server, token, 'GET', '/api/session')).status).toBe(401);
	});

	it('shows who changed a household and how, only to those who may read the grid', async () => {
		const token = await server.login('demo-gridworker');
		const c = connect(server.wsUrl, 'grid:g1', token);
		clients.push(c);
		await waitAcknowledged(c);
		const h = listHouseholds(c.doc)[3];
		const to = h.colour === 'red' ? 'yellow' : 'red';
		changeColour(c.doc, h.id, to, '走访发现', 'u-demo-gridworker');
		await waitAcknowledged(c);

		const res = await call(server, await server.login('demo-police'), 'GET', '/api/docs/grid:g1/history?limit=1');
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ doc: 'grid:g1', truncated: true });
		expect(res.body.changes[0]).toMatchObject({ userId: 'u-demo-gridworker', user: '李秀英（网格员）', householdId: h.id, field: 'colour', from: h.colour, to });
		expect(Date.parse(res.body.changes[0].at)).not.toBeNaN();
		const all = await call(server, token, 'GET', '/api/docs/grid:g1/history');
		expect(all.body.truncated).toBe(false);
		expect(all.body.changes.filter((c: { field: string }) => c.field === 'household')).toHaveLength(100); // the seed's households
		expect(all.body.changes.find((c: { field: string }) => c.field === 'meta.boundary')).toMatchObject({ userId: 'u-demo-admin', to: '[boundary]' });

		expect((await call(server, null, 'GET', '/api/docs/grid:g1/history')).status).toBe(401);
		expect((await call(server, await server.login('demo-liaison'), 'GET', '/api/docs/grid:g1/history')).status).toBe(404);
		expect((await call(server, token, 'GET', '/api/docs/grid:..%2Fx/history')).status).toBe(400);
		expect((await call(server, token, 'GET', '/api/docs/grid:g1/history?limit=0')).body.error).toBe('invalidLimit');
	});
});

describe('login rate limit and cookie', () => {
	it('answers 429 with Retry-After after 5 failures for an account from one address, even with the right password', async () => {
		for (let i = 0; i < 5; i++) {
			expect((await call(server, null, 'POST', '/api/session', { username: 'demo-mediator', password: `wrong-${i}` })).status).toBe(401);
		}
		const limited = await call(server, null, 'POST', '/api/session', { username: 'demo-mediator', password: 'tongxin-demo' });
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({ error: 'tooManyAttempts', message: expect.any(String) });
		const retry = Number(limited.headers.get('retry-after'));
		expect(retry).toBeGreaterThan(0);
		expect(retry).toBeLessThanOrEqual(15 * 60);
		expect((await call(server, null, 'POST', '/api/session', { username: 'DEMO-MEDIATOR', password: 'tongxin-demo' })).status).toBe(429);
		// Another account from the same address is not locked by this one.
		expect(await server.login('demo-committee')).toMatch(/^[a-z2-7]{32}$/);
		await server.waitForOutput(/auth\.loginThrottled username=demo-mediator/);
	});

	it('answers 429 after 50 failures from one address, whatever the account', async () => {
		const other = await startServer();
		try {
			for (let i = 0; i < 50; i++) {
				const r = await call(other, null, 'POST', '/api/session', { username: `nobody-${i}`, password: 'guess' });
				expect(r.status).toBe(401);
			}
			const limited = await call(other, null, 'POST', '/api/session', { username: 'demo-admin', password: 'tongxin-demo' });
			expect([limited.status, limited.body.error]).toEqual([429, 'tooManyAttempts']);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		} finally {
			await other.stop();
		}
	});

	it('sets the cookie Secure when the public origin is https', async () => {
		const https = await startServer({ env: { ORIGIN: 'https://tongxin.example.org' } });
		try {
			const res = await fetch(`${https.url}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: 'demo-admin', password: 'tongxin-demo' })
			});
			expect(res.status).toBe(200);
			expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
			expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
		} finally {
			await https.stop();
		}
	});
});
