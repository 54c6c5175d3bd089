/**
 * A fault of the store rather than of the process: another connection holds the SQLite write
 * lock (a backup or an operator's long transaction), so appending to the update log fails
 * after the busy timeout. The edit must not be acknowledged while it is not in the log; once
 * the lock is gone, the device's next handshake delivers it and then it is acknowledged and
 * stored. Killing the server in between must not lose anything the device saw acknowledged.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { storedDoc } from './faults/stored.ts';
import { holds, Tablet } from './faults/tablet.ts';

let server: TestServer | undefined;
const tablets: Tablet[] = [];

afterAll(async () => {
	for (const t of tablets) t.destroy();
	await server?.stop();
});

describe('the update log refuses a write', () => {
	it('does not acknowledge an edit it could not log; the device delivers it once the store works again', async () => {
		server = await startServer({ env: { LOG_LEVEL: 'error' } });
		const s = server;
		const token = await s.login('demo-gridworker');
		const writer = new Tablet('writer', s.wsUrl, token, ['grid:g1']);
		const watcher = new Tablet('watcher', s.wsUrl, await s.login('demo-committee'), ['grid:g1']);
		tablets.push(writer, watcher);
		await waitFor(() => writer.settled() && watcher.settled(), 'both tablets to sync', 30_000);
		const doc = writer.docs.get('grid:g1')!.doc;
		const id = listHouseholds(doc)[0].id;

		// An operator's connection takes the write lock and keeps it.
		const operator = new DatabaseSync(join(s.dataDir, 'tongxin.sqlite'));
		operator.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
		let locked = true;
		try {
			const edit = writer.edit('grid:g1', 'updateHousehold', (d) => updateHousehold(d, id, { phone: '13900000001' }))!;
			expect(edit).not.toBeNull();
			// The group commit fails within the server's busy timeout (50 ms) and closes the writer's socket
			// instead of acknowledging; the edit stays unacknowledged meanwhile.
			await waitFor(() => s.output().includes('collab.appendFailed'), 'the server to report the failed append', 20_000);
			// The writer reconnects while the lock is still held: its handshake finds the edit
			// already in the server's memory, but must not be acknowledged while the log lacks it.
			const reconnects = writer.reconnects;
			await waitFor(() => edit.acknowledged || writer.reconnects >= reconnects + 2, 'the writer to reconnect twice', 30_000);
			expect(edit.acknowledged, 'acknowledged while the log lacks it').toBe(false);
			expect(holds(Y.decodeStateVector(Y.encodeStateVector(storedDoc(s.dataDir, 'grid:g1'))), edit)).toBe(false);

			operator.exec('ROLLBACK');
			locked = false;
			await waitFor(() => edit.acknowledged && writer.settled(), 'the edit to be acknowledged after the lock is gone', 30_000);
			expect(holds(Y.decodeStateVector(Y.encodeStateVector(storedDoc(s.dataDir, 'grid:g1'))), edit)).toBe(true);
			await waitFor(() => readHousehold(watcher.docs.get('grid:g1')!.doc, id)?.phone === '13900000001', 'the watcher to see the edit');

			// And it survives a kill, as every acknowledged edit must.
			await s.kill('SIGKILL');
			expect(readHousehold(storedDoc(s.dataDir, 'grid:g1'), id)?.phone).toBe('13900000001');
		} finally {
			if (locked) operator.exec('ROLLBACK');
			operator.close();
		}
	});
});
