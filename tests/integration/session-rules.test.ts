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
	closeSession,
	closeVote,
	draftProposal,
	markPresent,
	minutesFragment,
	minutesText,
	openVote,
	readProposal,
	readSessionMeta,
	sessionHash,
	startSession
} from '../../src/lib/domain/session-doc.ts';
import { attacker, refusalLogged } from '../helpers/attack.ts';
import { type Client, goOffline, sortedJson, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { stripDeleteSet } from '../helpers/updates.ts';
import { createSessionApi } from '../helpers/sessions.ts';

const f = useServerAndClients();
const open = f.open;

const CHAIR = 'u-demo-committee';
const POLICE = 'u-demo-police';
const MEDIATOR = 'u-demo-mediator';
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

	it('refuses a map overwrite whose delete set was stripped: another’s vote flipped, the chair taken', async () => {
		const { id, chair, proposal } = await meeting();
		castVote(chair.doc, proposal, CHAIR, 'for');
		await waitAcknowledged(chair);
		const before = sortedJson((await stored(id)).toJSON());
		const a = await attacker(f.server, `session:${id}`, await f.server.login('demo-police'));
		try {
			const votes = (d: Y.Doc) => (d.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>;
			const flip = a.build((d) => votes(d).set(CHAIR, { choice: 'against', at: new Date().toISOString() }));
			const stripped = stripDeleteSet(flip);
			// on the wire: no delete set, and an item with no parent (Yjs takes it from its origin)
			expect(Y.decodeUpdate(stripped).ds.clients.size).toBe(0);
			expect(Y.decodeUpdate(stripped).structs.every((s) => !(s instanceof Y.Item) || s.parent === null)).toBe(true);
			expect(await a.send(stripped)).toBe('refused');
		} finally {
			a.close();
		}
		const b = await attacker(f.server, `session:${id}`, await f.server.login('demo-police'));
		try {
			expect(await b.send(stripDeleteSet(b.build((d) => d.getMap('meta').set('chairId', POLICE))))).toBe('refused');
		} finally {
			b.close();
		}
		const doc = await stored(id);
		expect(sortedJson(doc.toJSON())).toBe(before);
		expect(readProposal(doc, proposal)?.votes).toEqual([expect.objectContaining({ userId: CHAIR, choice: 'for' })]);
		expect(readSessionMeta(doc).chairId).toBe(CHAIR);
		expect(refusalLogged(f.server, 'demo-police', `vote of ${CHAIR}`)).toBe(true);
		expect(refusalLogged(f.server, 'demo-police', 'meta.chairId is changed by the chair only')).toBe(true);
	});

	it('refuses an update sent in pieces: a held-back forged vote and the “typing” update that would release it', async () => {
		const { id, proposal, item } = await meeting();
		const token = await f.server.login('demo-police');
		const a = await attacker(f.server, `session:${id}`, token);
		a.close();
		// two updates of one client: typing (clocks 0…n), then the forged vote (n+1…), which
		// depends on the first: alone, Yjs holds it back as pending
		const pieces = (() => {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.base));
			const out: Uint8Array[] = [];
			copy.on('update', (u: Uint8Array) => out.push(u));
			minutesFragment(copy, item).insert(0, [new Y.XmlText('记录')]);
			((copy.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>).set(CHAIR, { choice: 'against', at: new Date().toISOString() });
			return out;
		})();
		expect(pieces).toHaveLength(2);
		const first = await attacker(f.server, `session:${id}`, token);
		expect(await first.send(pieces[1])).toBe('refused');
		expect(await first.raw.closedWithin(10_000)).toBe(true); // the socket: an honest client would sync again
		expect(first.raw.outcome.closeCode).toBe(4000);
		const second = await attacker(f.server, `session:${id}`, token);
		expect(await second.send(pieces[0])).toBe('acknowledged');
		second.close();
		const doc = await stored(id);
		expect(minutesText(doc, item)).toBe('记录');
		expect(readProposal(doc, proposal)?.votes).toEqual([]);
		expect(refusalLogged(f.server, 'demo-police', 'incomplete-update')).toBe(true);
	});

	it('takes votes only from participants marked present, and the close records what the votes give', async () => {
		const { id, chair, police, proposal } = await meeting();
		// the mediator may write the session but is not marked present
		const a = await attacker(f.server, `session:${id}`, await f.server.login('demo-mediator'));
		try {
			const vote = a.build((d) =>
				((d.getMap('proposals').get(proposal) as Y.Map<unknown>).get('votes') as Y.Map<unknown>).set(MEDIATOR, { choice: 'for', at: new Date().toISOString() })
			);
			expect(await a.send(vote)).toBe('refused');
		} finally {
			a.close();
		}
		expect(refusalLogged(f.server, 'demo-mediator', 'who is not marked present')).toBe(true);
		// a forged tally at the close, from the chair
		const c = await attacker(f.server, `session:${id}`, await f.server.login('demo-committee'));
		try {
			const close = c.build((d) => {
				const m = d.getMap('proposals').get(proposal) as Y.Map<unknown>;
				d.transact(() => {
					m.set('status', 'closed');
					m.set('tally', { for: 12, against: 0, abstain: 0 });
					m.set('result', 'adopted');
					m.set('counted', []);
				});
			});
			expect(await c.send(close)).toBe('refused');
		} finally {
			c.close();
		}
		expect(refusalLogged(f.server, 'demo-committee', 'closed with a tally or result its counted votes do not give')).toBe(true);
		// the chair closes on a tablet that has not seen the police deputy's vote: the server
		// counts every vote it held at the close
		await goOffline(chair);
		castVote(police.doc, proposal, POLICE, 'against');
		await waitAcknowledged(police);
		closeVote(chair.doc, proposal, CHAIR);
		expect(readProposal(chair.doc, proposal)?.tally).toEqual({ for: 0, against: 0, abstain: 0 });
		chair.socket.connect();
		await waitFor(() => readProposal(police.doc, proposal)?.status === 'closed', 'the close to reach the police tablet');
		await waitFor(() => readProposal(police.doc, proposal)?.tally.against === 1, 'the server’s count of the recorded votes');
		const doc = await stored(id);
		expect(readProposal(doc, proposal)).toMatchObject({ status: 'closed', tally: { for: 0, against: 1, abstain: 0 }, result: 'rejected', lateVotes: [] });
	});

	it('an offline chair closing the vote and the meeting in one update: the frozen record holds the server’s count', async () => {
		const { id, police, proposal } = await meeting();
		// the chair's tablet as it was when it went offline: no vote on record yet
		const chair = await attacker(f.server, `session:${id}`, await f.server.login('demo-committee'));
		try {
			castVote(police.doc, proposal, POLICE, 'against');
			await waitAcknowledged(police);
			// back online, its handshake sends both closes at once
			const both = chair.build((d) => {
				closeVote(d, proposal, CHAIR);
				closeSession(d, CHAIR, '会议结束，已当场计票');
			});
			const asSent = new Y.Doc();
			Y.applyUpdate(asSent, Y.encodeStateAsUpdate(chair.base));
			Y.applyUpdate(asSent, both);
			expect(readProposal(asSent, proposal)?.tally).toEqual({ for: 0, against: 0, abstain: 0 });
			expect(readSessionMeta(asSent).status).toBe('closed');
			// (the answer to it may be negative: the freeze makes every connection read-only at once)
			await chair.send(both);
		} finally {
			chair.close();
		}
		await waitFor(() => readSessionMeta(police.doc).frozenHash !== null, 'the session to be frozen');
		const doc = await stored(id);
		expect(readProposal(doc, proposal)).toMatchObject({ status: 'closed', tally: { for: 0, against: 1, abstain: 0 }, result: 'rejected' });
		// the hash on record is of the state with the server's count
		expect(readSessionMeta(doc).frozenHash).toBe(sessionHash(doc));
	});
});
