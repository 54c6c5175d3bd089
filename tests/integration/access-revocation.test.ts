/**
 * Access that ends while a client is connected, and tokens that no longer hold: expired and
 * revoked sessions, forged names and another community's ids are refused; taking a
 * membership, disabling an account or revoking a session closes the user's open connections
 * within seconds (RevocationExtension), a reconnect is refused, and a connection whose access
 * dropped to read comes back read-only.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Membership } from '../../src/lib/domain/roles.ts';
import { call, probeEdit, updatesBy, withDb } from '../helpers/access.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();
const open = f.open;
let admin: string;

/** A new account made through the admin API, logged in. */
async function newUser(username: string, ...memberships: Membership[]): Promise<{ id: string; token: string }> {
	const created = await call(f.server, admin, 'POST', '/api/admin/users', {
		username,
		password: 'a-good-password',
		displayName: username,
		membership: memberships[0]
	});
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	for (const m of memberships.slice(1)) {
		expect((await call(f.server, admin, 'POST', `/api/admin/users/${created.body.user.id}/memberships`, m)).status).toBe(201);
	}
	return { id: created.body.user.id, token: await f.server.login(username, 'a-good-password') };
}

const sessionId = (token: string) => createHash('sha256').update(token).digest('hex');

beforeAll(async () => {
	admin = await f.server.login('demo-admin');
});

describe('tokens and names', () => {
	it('refuses an expired session (and deletes it)', async () => {
		const token = await f.server.login('demo-gridworker');
		withDb(f.server, (db) => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1000, sessionId(token)));
		const c = open('grid:g1', token);
		await waitFor(() => c.refusals.length > 0, 'the refusal');
		expect(c.refusals).toEqual(['invalid-token']);
		expect((await call(f.server, token, 'GET', '/api/session')).status).toBe(401);
		expect(withDb(f.server, (db) => db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE id = ?').get(sessionId(token)))).toEqual({ n: 0 });
	});

	it('refuses a session ended by logout', async () => {
		const token = await f.server.login('demo-gridworker');
		expect((await call(f.server, token, 'DELETE', '/api/session')).status).toBe(204);
		const c = open('grid:g1', token);
		await waitFor(() => c.refusals.length > 0, 'the refusal');
		expect(c.refusals).toEqual(['invalid-token']);
	});

	it("refuses forged names and another community's ids", async () => {
		const token = await f.server.login('demo-liaison'); // liaison of grid g2 in community c1
		const cases: [string, string][] = [
			['grid:g4', 'forbidden'],
			['grid:g4:restricted', 'forbidden'],
			['directory:c2', 'forbidden'],
			['grid:g1', 'forbidden'],
			['grid:g2:restricted', 'forbidden'],
			['grid:g2:secret', 'invalid-document-name'],
			['grid:g2 ', 'invalid-document-name'],
			['GRID:g2', 'invalid-document-name'],
			['grid:__proto__', 'invalid-document-name'],
			['dispute:nope', 'unknown-document'],
			['directory:st1', 'unknown-document']
		];
		const attempts = cases.map(([name]) => open(name, token));
		await waitFor(() => attempts.every((c) => c.refusals.length > 0), 'every refusal');
		expect(attempts.map((c, i) => [cases[i][0], c.refusals[0]])).toEqual(cases);
	});
});

describe('access that ends while connected', () => {
	it('taking a membership closes the connection within seconds; a reconnect is refused; later edits are not stored', async () => {
		const user = await newUser('revoke-liaison', { role: 'liaison', level: 'grid', placeId: 'g3' });
		const c = open('grid:g3', user.token);
		await waitAcknowledged(c);
		probeEdit(c.doc, 'grid:g3', user.id, 'before');
		await waitAcknowledged(c);
		expect(updatesBy(f.server, user.id, 'grid:g3')).toBe(1);

		const taken = await call(f.server, admin, 'DELETE', `/api/admin/users/${user.id}/memberships`, { role: 'liaison', level: 'grid', placeId: 'g3' });
		expect(taken.status).toBe(200);
		expect(taken.body.user.memberships).toEqual([]);
		await waitFor(() => c.closes.includes('access-revoked'), 'the connection to be closed', 5_000);
		await f.server.waitForOutput(/collab\.revoked doc=grid:g3 user=revoke-liaison reason=access-revoked/);

		probeEdit(c.doc, 'grid:g3', user.id, 'after');
		const again = open('grid:g3', user.token);
		await waitFor(() => again.refusals.length > 0, 'the reconnect to be refused');
		expect(again.refusals).toEqual(['forbidden']);
		expect(updatesBy(f.server, user.id, 'grid:g3')).toBe(1);
	});

	it('a connection whose access dropped to read comes back read-only, and read-write when given back', async () => {
		const user = await newUser(
			'revoke-double',
			{ role: 'gridWorker', level: 'grid', placeId: 'g1' },
			{ role: 'mediator', level: 'community', placeId: 'c1' }
		);
		const c = open('grid:g1', user.token);
		await waitAcknowledged(c);
		expect(c.provider.authorizedScope).toBe('read-write');
		const restricted = open('grid:g1:restricted', user.token); // the mediator membership alone decides this one
		await waitAcknowledged(restricted);

		await call(f.server, admin, 'DELETE', `/api/admin/users/${user.id}/memberships`, { role: 'gridWorker', level: 'grid', placeId: 'g1' });
		await waitFor(() => c.closes.includes('access-reduced'), 'the connection to be closed as reduced', 5_000);
		// The server closed the socket too: the provider reconnects by itself and is admitted read-only.
		await waitFor(() => c.provider.isAuthenticated && c.provider.authorizedScope === 'readonly', 'read-only admission');
		await waitAcknowledged(c);
		probeEdit(c.doc, 'grid:g1', user.id, 'while read-only');
		await f.server.waitForOutput(/collab\.readOnlyWriteDropped doc=grid:g1 user=revoke-double/);
		expect(updatesBy(f.server, user.id, 'grid:g1')).toBe(0);
		expect(restricted.closes).toEqual([]);
		expect(restricted.provider.authorizedScope).toBe('read-write');
		// Given back, the connection is re-admitted read-write and its edits are stored again.
		await call(f.server, admin, 'POST', `/api/admin/users/${user.id}/memberships`, { role: 'gridWorker', level: 'grid', placeId: 'g1' });
		await waitFor(() => c.closes.includes('access-extended'), 'the connection to be re-admitted', 5_000);
		await waitFor(() => c.provider.isAuthenticated && c.provider.authorizedScope === 'read-write', 'read-write admission');
		probeEdit(c.doc, 'grid:g1', user.id, 'writing again');
		await waitAcknowledged(c);
		await waitFor(() => updatesBy(f.server, user.id, 'grid:g1') > 0, 'the edit to be stored');
	});

	it('disabling an account closes its connections and refuses its logins', async () => {
		const user = await newUser('revoke-disabled', { role: 'committee', level: 'community', placeId: 'c2' });
		const c = open('grid:g4', user.token);
		await waitAcknowledged(c);
		const res = await call(f.server, admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: true });
		expect(res.status).toBe(200);
		expect(res.body.user.disabled).toBe(true);
		await waitFor(() => c.closes.includes('account-disabled'), 'the connection to be closed, saying why', 5_000);
		const login = await call(f.server, null, 'POST', '/api/session', { username: 'revoke-disabled', password: 'a-good-password' });
		expect(login.status).toBe(403);
		expect(login.body.error).toBe('accountDisabled');
		const again = open('grid:g4', user.token);
		await waitFor(() => again.refusals.length > 0, 'the reconnect to be refused');
		expect(again.refusals).toEqual(['invalid-token']);

		expect((await call(f.server, admin, 'PATCH', `/api/admin/users/${user.id}`, { disabled: false })).status).toBe(200);
		expect((await call(f.server, null, 'POST', '/api/session', { username: 'revoke-disabled', password: 'a-good-password' })).status).toBe(200);
	});

	it("revoking one session closes that session's connections only", async () => {
		const user = await newUser('revoke-session', { role: 'gridWorker', level: 'grid', placeId: 'g5' });
		const second = await f.server.login('revoke-session', 'a-good-password');
		const a = open('grid:g5', user.token);
		const b = open('grid:g5', second);
		await Promise.all([waitAcknowledged(a), waitAcknowledged(b)]);

		const mine = await call(f.server, second, 'GET', '/api/session/all');
		expect(mine.body.sessions).toHaveLength(2);
		expect(mine.body.sessions.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([sessionId(second)]);

		expect((await call(f.server, second, 'DELETE', `/api/session/all/${sessionId(user.token)}`)).status).toBe(204);
		await waitFor(() => a.closes.includes('session-revoked'), 'the revoked session to be closed', 5_000);
		expect(b.closes).toEqual([]);
		expect((await call(f.server, second, 'GET', '/api/session/all')).body.sessions).toHaveLength(1);
	});
});
