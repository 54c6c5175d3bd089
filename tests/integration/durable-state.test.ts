/**
 * The server's answer to "what do you hold durably of this document?" (DurableStateExtension):
 * a device records it as confirmed and a logout wipes the device on the strength of it, so it
 * must never claim an update the log lacks, not even one the server holds in memory while the
 * log refuses writes. Every answer is checked against the log as read from the SQLite file,
 * at once and again after the server was killed (SIGKILL) and restarted.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	deletionRanges,
	encodeDurableStateQuery,
	parseDurableStateAnswer,
	type DeletionRange
} from '../../src/lib/domain/durable-state.ts';
import { listHouseholds, readHousehold, updateHousehold } from '../../src/lib/domain/grid-doc.ts';
import { connect, goOffline, waitAcknowledged, waitFor, type Client } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { storedDoc } from './faults/stored.ts';

const DOC = 'grid:g1';
let server: TestServer | undefined;
const servers: TestServer[] = [];
const clients: Client[] = [];

afterAll(async () => {
	for (const c of clients) c.destroy();
	for (const s of servers) await s.stop();
});

/** Whether state vector `a` reaches at least as far as `b` for every client of `b`. */
function covers(a: Map<number, number>, b: Map<number, number>): boolean {
	for (const [client, clock] of b) if ((a.get(client) ?? 0) < clock) return false;
	return true;
}

function storedStateVector(s: TestServer): Map<number, number> {
	return Y.decodeStateVector(Y.encodeStateVector(storedDoc(s.dataDir, DOC)));
}

/** Every durable-state answer a client receives, with whether the log held it when it came. */
function recordAnswers(s: TestServer, client: Client): { answers: (Map<number, number> | null)[]; uncovered: number } {
	const record = { answers: [] as (Map<number, number> | null)[], uncovered: 0 };
	client.provider.on('stateless', ({ payload }: { payload: string }) => {
		const answer = parseDurableStateAnswer(payload);
		if (!answer) return;
		const sv = answer.stateVector ? Y.decodeStateVector(answer.stateVector) : null;
		record.answers.push(sv);
		// the log only grows: whatever the answer claims must be in the file by now
		if (sv && !covers(storedStateVector(s), sv)) record.uncovered++;
	});
	return record;
}

/** Asks the server and resolves with its next answer (null: "not yet"). */
async function ask(client: Client, record: { answers: unknown[] }): Promise<Map<number, number> | null> {
	const before = record.answers.length;
	client.provider.sendStateless(encodeDurableStateQuery());
	await waitFor(() => record.answers.length > before, 'a durable-state answer', 30_000);
	return record.answers[before] as Map<number, number> | null;
}

function own(client: Client): Map<number, number> {
	const sv = Y.decodeStateVector(Y.encodeStateVector(client.doc));
	return new Map([[client.doc.clientID, sv.get(client.doc.clientID) ?? 0]]);
}


/**
 * Runs `during` with the server's database locked by another connection (every append fails),
 * then kills the server with SIGKILL before unlocking: whatever was only in memory is gone.
 */
async function whileLockedThenKill(s: TestServer, during: () => Promise<void>): Promise<void> {
	const operator = new DatabaseSync(join(s.dataDir, 'tongxin.sqlite'));
	operator.exec('PRAGMA busy_timeout = 0; BEGIN IMMEDIATE');
	try {
		await during();
		await s.kill('SIGKILL');
	} finally {
		operator.exec('ROLLBACK');
		operator.close();
	}
}
describe('the durable state a device may record as confirmed', () => {
	it('never claims an update the log lacks: after edits, a reconnect, a refused write and a kill', async () => {
		server = await startServer({ env: { LOG_LEVEL: 'error' } });
		servers.push(server);
		const s = server;
		const writer = connect(s.wsUrl, DOC, await s.login('demo-gridworker'));
		const reader = connect(s.wsUrl, DOC, await s.login('demo-committee'));
		clients.push(writer, reader);
		const writerAnswers = recordAnswers(s, writer);
		const readerAnswers = recordAnswers(s, reader);
		await waitAcknowledged(writer);
		await waitAcknowledged(reader);
		const ids = listHouseholds(writer.doc).map((h) => h.id);

		// Online edits: once acknowledged, the answer claims them and the log holds them.
		updateHousehold(writer.doc, ids[0], { phone: '13600000001' });
		updateHousehold(writer.doc, ids[1], { phone: '13600000002' });
		await waitAcknowledged(writer);
		const online = await ask(writer, writerAnswers);
		expect(online).not.toBeNull();
		expect(covers(online!, own(writer))).toBe(true);

		// Offline edits, then a reconnect (queued edits and the handshake reply): asked until
		// the answer claims them, every answer on the way held by the log.
		await goOffline(writer);
		updateHousehold(writer.doc, ids[2], { phone: '13600000003' });
		updateHousehold(writer.doc, ids[3], { phone: '13600000004' });
		void writer.socket.connect();
		await waitFor(() => writer.provider.isSynced, 'the writer to reconnect');
		let confirmed: Map<number, number> | null = null;
		for (let i = 0; i < 50 && !(confirmed && covers(confirmed, own(writer))); i++) {
			confirmed = await ask(writer, writerAnswers);
			if (!(confirmed && covers(confirmed, own(writer)))) await new Promise((r) => setTimeout(r, 100));
		}
		expect(confirmed && covers(confirmed, own(writer)), 'the offline edits confirmed after the reconnect').toBe(true);

		// The log refuses writes (another connection holds the write lock): the server keeps the
		// edit in memory, and answers "not yet" instead of a state vector claiming it.
		// Killed with the update only in memory: the restarted server must not hold it, and no
		// answer given before the kill claimed it.
		await whileLockedThenKill(s, async () => {
			updateHousehold(writer.doc, ids[4], { phone: '13600000005' });
			const unlogged = own(writer);
			await waitFor(() => s.output().includes('collab.appendFailed'), 'the server to report the failed append', 30_000);
			const during = await ask(reader, readerAnswers);
			expect(during === null || !covers(during, unlogged), 'an answer claimed an update the log refused').toBe(true);
		});
		const afterKill = storedStateVector(s);
		for (const answer of [...writerAnswers.answers, ...readerAnswers.answers]) {
			if (answer) expect(covers(afterKill, answer), 'an answer claimed an update the restarted server lacks').toBe(true);
		}
		expect(writerAnswers.uncovered + readerAnswers.uncovered).toBe(0);

		// After the restart the writer's device delivers the edit; only then is it claimed.
		await s.restart();
		const writerEdits = own(writer);
		let last: Map<number, number> | null = null;
		await waitFor(() => writer.provider.isSynced, 'the writer to reconnect after the restart', 30_000);
		for (let i = 0; i < 50 && !(last && covers(last, writerEdits)); i++) {
			if (!writer.provider.isSynced) await waitFor(() => writer.provider.isSynced, 'the writer to sync', 30_000);
			last = await ask(writer, writerAnswers);
			if (!(last && covers(last, writerEdits))) await new Promise((r) => setTimeout(r, 100));
		}
		expect(last && covers(last, writerEdits), 'the edit confirmed once delivered').toBe(true);
		await s.kill('SIGKILL');
		const final = storedStateVector(s);
		for (const answer of writerAnswers.answers) if (answer) expect(covers(final, answer)).toBe(true);
		expect(writerAnswers.uncovered).toBe(0);
		await s.restart();
	});
});

/** Asks with `deletions` until an answer holds them (or `tries` run out); the last answer. */
async function askDeletions(client: Client, deletions: DeletionRange[], tries: number): Promise<{ held: boolean; answers: number }> {
	let held = false;
	let answers = 0;
	const listener = ({ payload }: { payload: string }) => {
		const answer = parseDurableStateAnswer(payload);
		if (answer?.id !== 99) return;
		answers++;
		held = answer.deletionsHeld;
	};
	client.provider.on('stateless', listener);
	try {
		for (let i = 0; i < tries && !held; i++) {
			if (!client.provider.isSynced) await waitFor(() => client.provider.isSynced, 'the client to sync', 30_000);
			const before = answers;
			client.provider.sendStateless(encodeDurableStateQuery(99, deletions));
			await waitFor(() => answers > before || !client.provider.isSynced, 'an answer about the deletions', 30_000);
			if (!held) await new Promise((r) => setTimeout(r, 100));
		}
	} finally {
		client.provider.off('stateless', listener);
	}
	return { held, answers };
}

describe('deletions, which no state vector shows', () => {
	it('are confirmed only once the log holds them, also across a refused write and a kill', async () => {
		const s = await startServer({ env: { LOG_LEVEL: 'error' } });
		servers.push(s);
		const writer = connect(s.wsUrl, DOC, await s.login('demo-gridworker'));
		const reader = connect(s.wsUrl, DOC, await s.login('demo-committee'));
		clients.push(writer, reader);
		await waitAcknowledged(writer);
		await waitAcknowledged(reader);
		const id = listHouseholds(writer.doc)[0].id;
		updateHousehold(writer.doc, id, { phone: '13500000001' });
		await waitAcknowledged(writer);
		const household = writer.doc.getMap('households').get(id) as Y.Map<unknown>;

		// A deletion-only edit while the log refuses writes.
		let ranges: DeletionRange[] = [];
		await whileLockedThenKill(s, async () => {
			writer.doc.once('update', (u: Uint8Array) => (ranges = deletionRanges(u)));
			household.delete('phone');
			expect(ranges.length).toBeGreaterThan(0);
			await waitFor(() => s.output().includes('collab.appendFailed'), 'the server to report the failed append', 30_000);
			const during = await askDeletions(reader, ranges, 1);
			expect(during.held, 'a deletion the log refused was confirmed').toBe(false);
		});
		expect(readHousehold(storedDoc(s.dataDir, DOC), id)?.phone, 'the refused deletion is not in the log').toBe('13500000001');

		// After the restart the writer's handshake delivers it; then, and only then, it is held.
		await s.restart();
		const after = await askDeletions(writer, ranges, 100);
		expect(after.held, 'the delivered deletion confirmed').toBe(true);
		await s.kill('SIGKILL');
		const stored = storedDoc(s.dataDir, DOC).getMap('households').get(id) as Y.Map<unknown>;
		expect(stored.has('phone'), 'a confirmed deletion the restarted server lacks').toBe(false);
		await s.restart();
	});
});
