/**
 * A document whose stored state cannot be loaded is refused with a log line, is not left half
 * loaded in memory, and does not disturb the other documents.
 */
import { expect, it } from 'vitest';
import { listHouseholds } from '../../src/lib/domain/grid-doc.ts';
import { withDb } from '../helpers/access.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients();

it('refuses a document with a corrupt stored snapshot, logs it, and keeps serving the others', async () => {
	withDb(f.server, (db) => {
		db.prepare("UPDATE doc_snapshots SET state = ? WHERE doc = 'grid:g6'").run(Uint8Array.from([1, 0xff, 0xff, 0xff, 0x0f, 7]));
		db.prepare("DELETE FROM doc_updates WHERE doc = 'grid:g6'").run();
	});
	const token = await f.server.login('demo-admin');
	const broken = f.open('grid:g6', token);
	await f.server.waitForOutput(/collab\.loadFailed doc=grid:g6 .*loadFailures=1/);
	expect(listHouseholds(broken.doc)).toEqual([]);
	expect(f.server.output()).not.toMatch(/collab\.docLoaded doc=grid:g6/);

	const fine = f.open('grid:g4', token);
	await waitAcknowledged(fine);
	await waitFor(() => listHouseholds(fine.doc).length === 100, 'another grid to load');
});
