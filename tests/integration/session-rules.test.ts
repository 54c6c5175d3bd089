/**
 * The server judges session rules on every update: a participant writing raw Yjs ops past the
 * client's named mutations cannot vote in someone else's name or close the meeting; their
 * update is refused and the stored document does not change. Their own vote goes through.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addAgendaItem,
	castVote,
	draftProposal,
	markPresent,
	minutesFragment,
	minutesText,
	openVote,
	readProposal,
	readSessionMeta,
	startSession
} from '../../src/lib/domain/session-doc.ts';
import { type Client, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { createSessionApi } from '../helpers/sessions.ts';

const f = useServerAndClients();
const open = f.open;

const CHAIR = 'u-demo-committee';
const POLICE = 'u-demo-police';
const refusals = () => (f.server.output().match(/collab\.ruleRefused/g) ?? []).length;

async function meeting(): Promise<{ id: string; chair: Client; police: Client; proposal: string; item: string }> {
	const token = await f.server.login('demo-committee');
	const { id } = await createSessionApi(f.server, token);
	const chair = open(`session:${id}`, token);
	await waitAcknowledged(chair);
	startSession(chair.doc, CHAIR);
	markPresent(chair.doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
	markPresent(chair.doc, POLICE, { name: '赵志强', role: 'policeDeputy' }, CHAIR);
	const item = addAgendaItem(chair.doc, '费用', CHAIR);
	const proposal = draftProposal(chair.doc, { text: '按楼层分摊', agendaItemId: item }, CHAIR);
	openVote(chair.doc, proposal, CHAIR);
	await waitAcknowledged(chair);
	const police = open(`session:${id}`, await f.server.login('demo-police'));
	await waitAcknowledged(police);
	return { id, chair, police, proposal, item };
}

async function stored(id: string): Promise<Y.Doc> {
	const c = open(`session:${id}`, await f.server.login('demo-mediator'));
	await waitAcknowledged(c);
	return c.doc;
}

describe('session rules on the server', () => {
	it('takes a participant’s own vote and their typing in the minutes', async () => {
		const { id, chair, police, proposal, item } = await meeting();
		castVote(police.doc, proposal, POLICE, 'for');
		minutesFragment(police.doc, item).insert(0, [new Y.XmlText('记录')]);
		await waitAcknowledged(police);
		await waitFor(() => readProposal(chair.doc, proposal)?.votes.length === 1, 'the vote to reach the chair');
		const doc = await stored(id);
		expect(readProposal(doc, proposal)?.tally).toEqual({ for: 1, against: 0, abstain: 0 });
		expect(minutesText(doc, item)).toBe('记录');
	});

	it('refuses a vote in someone else’s name and a participant closing the meeting', async () => {
		const { id, police, proposal } = await meeting();
		const before = refusals();
		const closeReasons: string[] = [];
		police.provider.on('close', ({ event }: { event?: { reason?: string } }) => closeReasons.push(event?.reason ?? ''));
		// raw ops, past the client's own rules
		const votes = (police.doc.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>;
		votes.set(CHAIR, { choice: 'against', at: new Date().toISOString() });
		await waitFor(() => refusals() > before, 'the server to refuse the forged vote');
		// the provider learns why (the app then stops syncing that session: session-open.ts)
		await waitFor(() => closeReasons.includes('session-rule'), 'the close reason to reach the provider');
		police.destroy();
		expect(readProposal(await stored(id), proposal)?.votes).toEqual([]);

		const again = open(`session:${id}`, await f.server.login('demo-police'));
		await waitAcknowledged(again);
		const n = refusals();
		again.doc.getMap('meta').set('status', 'closed');
		await waitFor(() => refusals() > n, 'the server to refuse the close');
		again.destroy();
		expect(readSessionMeta(await stored(id)).status).toBe('live');
		expect(f.server.output()).toMatch(/collab\.ruleRefused .*user=demo-police .*vote of u-demo-committee/);
	});
});
