/**
 * Sign-off freezes a session: after the last present participant's sign-off (or the chair's
 * close with a reason) the server keeps the hash of the final state in the session's record,
 * writes it into the document, and refuses every later edit, also after a restart.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAgendaItem,
	closeSession,
	markPresent,
	minutesFragment,
	minutesText,
	readSessionMeta,
	sessionHash,
	signOff,
	startSession
} from '../../src/lib/domain/session-doc.ts';
import { type Client, useServerAndClients, sortedJson, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { createSessionApi, listSessionsApi } from '../helpers/sessions.ts';

const f = useServerAndClients();
const open = f.open;

const CHAIR = 'u-demo-committee';
const POLICE = 'u-demo-police';

/** Every root of a session document (with the minutes of `item`), keys sorted. */
const sessionJson = (doc: Y.Doc, item: string) =>
	sortedJson({
		meta: doc.getMap('meta').toJSON(),
		agenda: doc.getArray('agenda').toJSON(),
		attendance: doc.getMap('attendance').toJSON(),
		proposals: doc.getMap('proposals').toJSON(),
		resolutions: doc.getMap('resolutions').toJSON(),
		actionItems: doc.getMap('actionItems').toJSON(),
		signOffs: doc.getMap('signOffs').toJSON(),
		minutes: minutesFragment(doc, item).toString()
	});

/** Waits until the server has logged `n` dropped writes from read-only connections since it started. */
const droppedWrites = (n: number) =>
	waitFor(() => (f.server.output().match(/collab\.readOnlyWriteDropped/g) ?? []).length >= n, `${n} dropped writes in the server log`);

/** A live session with chair and police present, an agenda item and some minutes. */
async function liveSession(): Promise<{ id: string; chair: Client; police: Client; item: string }> {
	const chairToken = await f.server.login('demo-committee');
	const { id } = await createSessionApi(f.server, chairToken);
	const chair = open(`session:${id}`, chairToken);
	const police = open(`session:${id}`, await f.server.login('demo-police'));
	await waitAcknowledged(chair);
	await waitAcknowledged(police);
	startSession(chair.doc, CHAIR);
	markPresent(chair.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
	const item = addAgendaItem(chair.doc, '费用分摊', CHAIR);
	await waitFor(() => readSessionMeta(police.doc).status === 'live', 'the police client to see the session live');
	markPresent(police.doc, POLICE, { name: '赵志强', role: 'policeDeputy' }, POLICE);
	minutesFragment(police.doc, item).insert(0, [new Y.XmlText('按楼层分摊')]);
	await waitAcknowledged(police);
	await waitFor(() => minutesText(chair.doc, item) === '按楼层分摊', 'the minutes on the chair client');
	return { id, chair, police, item };
}

/** The server's stored document, as a fresh client loads it. */
async function storedState(id: string): Promise<Y.Doc> {
	const c = open(`session:${id}`, await f.server.login('demo-mediator'));
	await waitAcknowledged(c);
	return c.doc;
}

describe('freezing a signed-off session', () => {
	it('the last sign-off freezes: hash in the record and in the document, the same on every device', async () => {
		const { id, chair, police } = await liveSession();
		closeSession(chair.doc, CHAIR);
		await waitFor(() => readSessionMeta(police.doc).status === 'closed', 'the close to reach the police client');
		signOff(police.doc, POLICE);
		await waitAcknowledged(police);
		expect(readSessionMeta(chair.doc).frozenHash ?? null).toBe(null);
		signOff(chair.doc, CHAIR);
		await waitFor(() => readSessionMeta(police.doc).frozenHash !== null, 'the frozen hash to reach the police client');
		await waitFor(() => readSessionMeta(chair.doc).frozenHash !== null, 'the frozen hash to reach the chair client');
		const hash = readSessionMeta(chair.doc).frozenHash;
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(sessionHash(chair.doc)).toBe(hash);
		expect(sessionHash(police.doc)).toBe(hash);
		const list = (await (await listSessionsApi(f.server, await f.server.login('demo-committee'))).json()) as { id: string; frozenHash: string }[];
		expect(list.find((s) => s.id === id)?.frozenHash).toBe(hash);
		await f.server.waitForOutput(`session.frozen id=${id}`);
	});

	it('edits to a frozen session are refused: the stored state does not change, also after a restart', async () => {
		const { id, chair, police, item } = await liveSession();
		closeSession(chair.doc, CHAIR, '会议结束，赵志强离场前已口头确认');
		await waitFor(() => readSessionMeta(police.doc).frozenHash !== null, 'the freeze');
		const frozen = await storedState(id);
		const before = sessionJson(frozen, item);
		const hash = readSessionMeta(frozen).frozenHash;

		// Raw Yjs edits, past the domain's own refusal, on a connection opened before the freeze.
		police.doc.transact(() => {
			minutesFragment(police.doc, item).insert(0, [new Y.XmlText('篡改')]);
			police.doc.getMap('meta').set('title', '篡改的标题');
		});
		// and on a connection opened after it
		const late = open(`session:${id}`, await f.server.login('demo-committee'));
		await waitFor(() => late.provider.isSynced, 'the late client to sync');
		late.doc.getMap('signOffs').set('u-someone', 'now');
		await droppedWrites(2);

		expect(sessionJson(await storedState(id), item)).toBe(before);
		expect(chair.doc.getMap('meta').get('title')).not.toBe('篡改的标题');

		await f.server.kill('SIGKILL');
		await f.server.restart();
		const reloaded = await storedState(id);
		expect(sessionJson(reloaded, item)).toBe(before);
		expect(readSessionMeta(reloaded).frozenHash).toBe(hash);
		expect(sessionHash(reloaded)).toBe(hash);

		// After the restart the record decides: the connection opens read-only.
		const again = open(`session:${id}`, await f.server.login('demo-committee'));
		let scope = '';
		again.provider.on('authenticated', ({ scope: s }: { scope: string }) => (scope = s));
		await waitAcknowledged(again);
		expect(scope).toBe('readonly');
		minutesFragment(again.doc, item).insert(0, [new Y.XmlText('又一次')]);
		await droppedWrites(1);
		expect(sessionJson(await storedState(id), item)).toBe(before);
	});
});
