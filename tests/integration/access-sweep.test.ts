/**
 * Changes no route announced — a session expiring while its connections are open, a
 * membership taken by the admin CLI (another process) — are caught by the revocation sweep
 * (REVOCATION_SWEEP_MS, shortened here): the connections close with their reason.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withDb } from '../helpers/access.ts';
import { closeSession, markPresent, readSessionMeta, startSession } from '../../src/lib/domain/session-doc.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { createSessionApi } from '../helpers/sessions.ts';

// debug: every sweep pass is a log line, so the test can wait for passes instead of time
const f = useServerAndClients({ env: { REVOCATION_SWEEP_MS: '300', LOG_LEVEL: 'debug' } });
const sweeps = () => (f.server.output().match(/collab\.sweep /g) ?? []).length;

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

	it('leaves a frozen session’s read-only connections alone, sweep after sweep', async () => {
		const token = await f.server.login('demo-committee');
		const { id } = await createSessionApi(f.server, token);
		const chair = f.open(`session:${id}`, token);
		const police = f.open(`session:${id}`, await f.server.login('demo-police'));
		await Promise.all([waitAcknowledged(chair), waitAcknowledged(police)]);
		startSession(chair.doc, 'u-demo-committee');
		markPresent(chair.doc, 'u-demo-committee', { name: '陈国平', role: 'committee' }, 'u-demo-committee');
		closeSession(chair.doc, 'u-demo-committee', '部分参会人提前离场');
		await waitFor(() => readSessionMeta(police.doc).frozenHash !== null, 'the session to freeze');
		let disconnects = 0;
		for (const c of [chair, police]) c.socket.on('disconnect', () => disconnects++);
		const from = sweeps();
		await waitFor(() => sweeps() >= from + 5, 'five sweeps over the frozen session', 20_000);
		// before the fix each sweep took the frozen read-only connections for 'access extended'
		// and closed every writer's socket
		expect(chair.closes).toEqual([]);
		expect(police.closes).toEqual([]);
		expect(disconnects).toBe(0);
		expect(f.server.output()).not.toMatch(new RegExp(`collab\\.revoked doc=session:${id}`));
	});
});
