/**
 * A document whose stored state cannot be loaded is refused with a log line, is not left half
 * loaded in memory, and does not disturb the other documents.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { listHouseholds } from '../../src/lib/domain/grid-doc.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

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

it('refuses a document with a corrupt stored snapshot, logs it, and keeps serving the others', async () => {
	const db = new DatabaseSync(join(server.dataDir, 'tongxin.sqlite'));
	try {
		db.exec('PRAGMA busy_timeout = 5000');
		db.prepare("UPDATE doc_snapshots SET state = ? WHERE doc = 'grid:g6'").run(Uint8Array.from([1, 0xff, 0xff, 0xff, 0x0f, 7]));
		db.prepare("DELETE FROM doc_updates WHERE doc = 'grid:g6'").run();
	} finally {
		db.close();
	}
	const token = await server.login('demo-admin');
	const broken = connect(server.wsUrl, 'grid:g6', token);
	clients.push(broken);
	await server.waitForOutput(/collab\.loadFailed doc=grid:g6 .*loadFailures=1/);
	expect(listHouseholds(broken.doc)).toEqual([]);
	expect(server.output()).not.toMatch(/collab\.docLoaded doc=grid:g6/);

	const fine = connect(server.wsUrl, 'grid:g4', token);
	clients.push(fine);
	await waitAcknowledged(fine);
	await waitFor(() => listHouseholds(fine.doc).length === 100, 'another grid to load');
});
