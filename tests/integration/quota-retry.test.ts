/**
 * A device whose edits the server refuses for their rate or size keeps them (issue 14: "a clear
 * error", the device keeps its edits): too fast, it opens the document again after a pause and
 * the edits arrive; too large, it stops sending that document and keeps the edits in its copy.
 * Real providers with the app's refusal handling (src/lib/client/quota-retry.ts) against the
 * real server, whose per-user burst is lowered to 64 KB here so two edits pass it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { watchQuotaRefusals } from '../../src/lib/client/quota-retry.ts';
import type { QuotaRefusal } from '../../src/lib/domain/limits.ts';
import { listHouseholds, readHousehold } from '../../src/lib/domain/grid-doc.ts';
import { updatesBy } from '../helpers/access.ts';
import { type Client, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const f = useServerAndClients({ env: { LOG_LEVEL: 'error', USER_WRITE_BURST_BYTES: String(64 * 1024), USER_WRITE_BYTES_PER_S: String(64 * 1024) } });
afterEach(() => f.destroyClients());

/** A client that handles quota refusals as the app does, retrying after `retryMs`. */
async function device(token: string, retryMs: number): Promise<{ client: Client; events: string[] }> {
	const client = f.open('grid:g2', token);
	const events: string[] = [];
	watchQuotaRefusals(client.provider, { refused: (r: QuotaRefusal) => events.push(`refused ${r}`), cleared: () => events.push('cleared') }, retryMs);
	await waitAcknowledged(client);
	return { client, events };
}

/** A note of `chars` characters on the first household (the UI's limits do not apply to a hostile or buggy client). */
function setNote(doc: Y.Doc, text: string): string {
	const id = listHouseholds(doc)[0].id;
	doc.getMap<Y.Map<unknown>>('households').get(id)!.set('note', text);
	return id;
}

describe('quota refusals on the device', () => {
	it('too fast: the document is opened again after a pause and the edits arrive', async () => {
		const { client, events } = await device(await f.server.login('demo-liaison'), 1_500);
		const id = setNote(client.doc, 'a'.repeat(50_000));
		await waitAcknowledged(client);
		const rowsBefore = updatesBy(f.server, 'u-demo-liaison', 'grid:g2');
		setNote(client.doc, 'b'.repeat(50_000)); // the burst is spent: refused
		await waitFor(() => events.includes('refused rate-limited'), 'the refusal');
		expect(updatesBy(f.server, 'u-demo-liaison', 'grid:g2')).toBe(rowsBefore);
		expect(readHousehold(client.doc, id)).toBeTruthy();
		await waitAcknowledged(client, 30_000); // after the pause, the handshake sends it
		expect(events).toEqual(['refused rate-limited', 'cleared']);
		expect(updatesBy(f.server, 'u-demo-liaison', 'grid:g2')).toBe(rowsBefore + 1);
		const peer = f.open('grid:g2', await f.server.login('demo-liaison'));
		await waitFor(() => peer.provider.isSynced && (peer.doc.getMap<Y.Map<unknown>>('households').get(id)?.get('note') as string | undefined)?.startsWith('b') === true, 'the edit at a peer');
	});

	it('too large: the document stops syncing on the device, and the edit stays in its copy', async () => {
		const { client, events } = await device(await f.server.login('demo-liaison'), 500);
		const rowsBefore = updatesBy(f.server, 'u-demo-liaison', 'grid:g2');
		setNote(client.doc, 'c'.repeat(300 * 1024)); // over the grid's 256 KB a value
		await waitFor(() => events.includes('refused update-too-large'), 'the refusal');
		await new Promise((r) => setTimeout(r, 1_500));
		expect(client.provider.isAttached).toBe(false); // no retry
		expect(events).toEqual(['refused update-too-large']);
		expect(updatesBy(f.server, 'u-demo-liaison', 'grid:g2')).toBe(rowsBefore);
		const note = client.doc.getMap<Y.Map<unknown>>('households').get(listHouseholds(client.doc)[0].id)!.get('note') as string;
		expect(note.length).toBe(300 * 1024);
	});
});
