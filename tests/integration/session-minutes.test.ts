/**
 * Three devices write the same minutes at once (the Y.XmlFragment TipTap binds to, edited with
 * plain Yjs ops as y-prosemirror does): one of them offline for part of the time. In the end
 * every device and the server hold the same minutes, and every typed character is in them
 * exactly once. The positions come from a seeded generator; a failure prints the seed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, markPresent, minutesFragment, minutesText, startSession } from '../../src/lib/domain/session-doc.ts';
import { type Client, connect, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createSessionApi } from '../helpers/sessions.ts';

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

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const PER_CLIENT = 80;
/** Client `i`'s k-th character: distinct CJK characters, so each can be counted. */
const charOf = (i: number, k: number) => String.fromCodePoint(0x4e00 + i * 1000 + k);

/** The first paragraph's text of the fragment (all clients type into it). */
function firstText(fragment: Y.XmlFragment): Y.XmlText {
	const p = fragment.get(0) as Y.XmlElement;
	return p.get(0) as Y.XmlText;
}

describe('minutes typed on three devices at once', () => {
	it('converge with every typed character exactly once, one device offline for a while', async () => {
		const seed = Number(process.env.SEED ?? Date.now() % 100000);
		console.log(`session-minutes seed=${seed} (SEED=${seed} repeats this run)`);
		const random = rng(seed);

		const users = ['demo-committee', 'demo-police', 'demo-mediator'];
		const tokens = await Promise.all(users.map((u) => server.login(u)));
		const { id } = await createSessionApi(server, tokens[0]);
		const name = `session:${id}`;
		const devices = tokens.map((t) => connect(server.wsUrl, name, t));
		clients.push(...devices);
		for (const d of devices) await waitAcknowledged(d);

		// The chair starts the session and opens the minutes with one empty paragraph.
		const chair = devices[0];
		startSession(chair.doc, 'u-demo-committee');
		markPresent(chair.doc, 'u-demo-committee', { name: '陈国平', role: 'committee' }, 'u-demo-committee');
		const item = addAgendaItem(chair.doc, '费用分摊', 'u-demo-committee');
		const paragraph = new Y.XmlElement('paragraph');
		paragraph.insert(0, [new Y.XmlText('')]);
		minutesFragment(chair.doc, item).insert(0, [paragraph]);
		await waitAcknowledged(chair);
		for (const d of devices) await waitFor(() => minutesFragment(d.doc, item).length === 1, 'the first paragraph everywhere');

		const offline = devices[2];
		const typed: string[] = [];
		for (let k = 0; k < PER_CLIENT; k++) {
			if (k === 15) {
				offline.socket.disconnect();
				await waitFor(() => offline.socket.status === 'disconnected', 'the third device to go offline');
			}
			if (k === 60) void offline.socket.connect();
			for (let i = 0; i < devices.length; i++) {
				const text = firstText(minutesFragment(devices[i].doc, item));
				const ch = charOf(i, k);
				text.insert(Math.floor(random() * (text.length + 1)), ch);
				typed.push(ch);
				// now and then a device starts a paragraph of its own
				if (random() < 0.05) {
					const p = new Y.XmlElement('paragraph');
					const extra = charOf(i, 500 + k);
					p.insert(0, [new Y.XmlText(extra)]);
					const fragment = minutesFragment(devices[i].doc, item);
					fragment.insert(fragment.length, [p]);
					typed.push(extra);
				}
			}
			// let the network deliver some of it before the next round
			await new Promise((r) => setTimeout(r, 2));
		}

		for (const d of devices) await waitAcknowledged(d);
		const expected = [...typed].sort().join('');
		await waitFor(
			() => devices.every((d) => [...minutesText(d.doc, item).replace(/\n/g, '')].sort().join('') === expected),
			'every device to hold every typed character'
		);
		const texts = devices.map((d) => minutesFragment(d.doc, item).toString());
		expect(texts[1]).toBe(texts[0]);
		expect(texts[2]).toBe(texts[0]);
		const chars = [...minutesText(chair.doc, item).replace(/\n/g, '')];
		expect(chars.length).toBe(typed.length);
		expect(new Set(chars).size).toBe(typed.length);

		// the server's copy, as a fresh device loads it
		const fresh = connect(server.wsUrl, name, tokens[1]);
		clients.push(fresh);
		await waitAcknowledged(fresh);
		expect(minutesFragment(fresh.doc, item).toString()).toBe(texts[0]);
	});
});
