/**
 * Changes no route announced — a session expiring while its connections are open, a
 * membership taken by the admin CLI (another process) — are caught by the revocation sweep
 * (REVOCATION_SWEEP_MS, shortened here): the connections close with their reason.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../helpers/access.ts';
import { connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ env: { REVOCATION_SWEEP_MS: '300' } });
});
afterAll(async () => {
	await server?.stop();
});

function openWithCloses(name: string, token: string) {
	const c = connect(server.wsUrl, name, token);
	const closes: string[] = [];
	c.provider.on('close', ({ event }: { event: { reason?: string } }) => closes.push(String(event?.reason ?? '')));
	return Object.assign(c, { closes });
}

describe('revocation sweep', () => {
	it('closes the connections of a session that expired while open', async () => {
		const token = await server.login('demo-committee');
		const c = openWithCloses('grid:g2', token);
		const other = openWithCloses('grid:g2', await server.login('demo-mediator'));
		try {
			await Promise.all([waitAcknowledged(c), waitAcknowledged(other)]);
			const id = createHash('sha256').update(token).digest('hex');
			withDb(server, (db) => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1, id));
			await waitFor(() => c.closes.includes('session-revoked'), 'the sweep to close the expired session', 10_000);
			await server.waitForOutput(/collab\.sweep checked=\d+ closed=1 reduced=0/);
			expect(other.closes).toEqual([]);
		} finally {
			c.destroy();
			other.destroy();
		}
	});

	it('closes a connection whose membership another process took away', async () => {
		const c = openWithCloses('grid:g1', await server.login('demo-gridworker'));
		try {
			await waitAcknowledged(c);
			withDb(server, (db) => db.prepare("DELETE FROM memberships WHERE user_id = 'u-demo-gridworker'").run());
			await waitFor(() => c.closes.includes('access-revoked'), 'the sweep to close the connection', 10_000);
		} finally {
			c.destroy();
		}
	});
});
