/**
 * Changes no route announced — a session expiring while its connections are open, a
 * membership taken by the admin CLI (another process) — are caught by the revocation sweep
 * (REVOCATION_SWEEP_MS, shortened here): the connections close with their reason.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withDb } from '../helpers/access.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients({ env: { REVOCATION_SWEEP_MS: '300' } });

describe('revocation sweep', () => {
	it('closes the connections of a session that expired while open', async () => {
		const token = await f.server.login('demo-committee');
		const c = f.open('grid:g2', token);
		const other = f.open('grid:g2', await f.server.login('demo-mediator'));
		await Promise.all([waitAcknowledged(c), waitAcknowledged(other)]);
		const id = createHash('sha256').update(token).digest('hex');
		withDb(f.server, (db) => db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1, id));
		await waitFor(() => c.closes.includes('session-revoked'), 'the sweep to close the expired session', 10_000);
		await f.server.waitForOutput(/collab\.sweep checked=\d+ closed=1 reduced=0/);
		expect(other.closes).toEqual([]);
	});

	it('closes a connection whose membership another process took away', async () => {
		const c = f.open('grid:g1', await f.server.login('demo-gridworker'));
		await waitAcknowledged(c);
		withDb(f.server, (db) => db.prepare("DELETE FROM memberships WHERE user_id = 'u-demo-gridworker'").run());
		await waitFor(() => c.closes.includes('access-revoked'), 'the sweep to close the connection', 10_000);
	});
});
