/**
 * Every demo role against every kind of document, over real WebSockets: each connection is
 * admitted read-write, admitted read-only or refused exactly as ACCESS_MATRIX and the
 * membership's place say (src/lib/domain/roles.ts). The expectations are derived with
 * `accessFor` from a jurisdiction tree written out here (not the server's), and a few rows
 * are written by hand so that a wrong matrix cannot pass by agreeing with itself.
 *
 * Each admitted client then edits its document: a read-write edit is acknowledged and in the
 * log under its user; a read-only edit is in neither the log nor any other client's copy.
 */
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/domain/doc-names.ts';
import { accessFor, type Access, type Membership, type Place } from '../../src/lib/domain/roles.ts';
import { addRecords, call, hasProbe, probeEdit, updatesBy } from '../helpers/access.ts';
import { type Client, connect, useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';

const USERS: Record<string, Membership> = {
	'demo-admin': { role: 'admin', level: 'street', placeId: 'st1' },
	'demo-committee': { role: 'committee', level: 'community', placeId: 'c1' },
	// a grid membership carries its grid's community (the server reads it from the places table)
	'demo-gridworker': { role: 'gridWorker', level: 'grid', placeId: 'g1', communityId: 'c1' },
	'demo-liaison': { role: 'liaison', level: 'grid', placeId: 'g2', communityId: 'c1' },
	'demo-police': { role: 'policeDeputy', level: 'community', placeId: 'c1' },
	'demo-mediator': { role: 'mediator', level: 'community', placeId: 'c1' }
};

/** The demo tree: st1 → c1 (g1 g2 g3), c2 (g4 g5 g6); records made in beforeAll. */
const PLACES: Record<string, Place> = {
	'grid:g1': { streetId: 'st1', communityId: 'c1', gridId: 'g1' },
	'grid:g2': { streetId: 'st1', communityId: 'c1', gridId: 'g2' },
	'grid:g4': { streetId: 'st1', communityId: 'c2', gridId: 'g4' },
	'grid:g1:restricted': { streetId: 'st1', communityId: 'c1', gridId: 'g1' },
	'grid:g4:restricted': { streetId: 'st1', communityId: 'c2', gridId: 'g4' },
	'session:s-c1': { streetId: 'st1', communityId: 'c1' },
	'session:s-c2': { streetId: 'st1', communityId: 'c2' },
	'dispute:d-c1': { streetId: 'st1', communityId: 'c1' },
	'dispute:d-c2': { streetId: 'st1', communityId: 'c2' },
	'directory:c1': { streetId: 'st1', communityId: 'c1' },
	'directory:c2': { streetId: 'st1', communityId: 'c2' }
};

const HAND_WRITTEN: [string, string, Access][] = [
	['demo-gridworker', 'grid:g1', 'write'],
	['demo-gridworker', 'grid:g2', 'none'], // another grid of the same community
	['demo-gridworker', 'grid:g1:restricted', 'none'],
	['demo-liaison', 'grid:g2', 'write'],
	['demo-liaison', 'grid:g4', 'none'], // another community
	['demo-liaison', 'grid:g1', 'none'], // another grid of the same community
	// members of a grid are members of its community: its directory and sessions, read-only
	['demo-gridworker', 'directory:c1', 'read'],
	['demo-gridworker', 'session:s-c1', 'read'],
	['demo-gridworker', 'dispute:d-c1', 'none'],
	['demo-gridworker', 'directory:c2', 'none'],
	['demo-gridworker', 'session:s-c2', 'none'],
	['demo-liaison', 'directory:c1', 'read'],
	['demo-liaison', 'session:s-c1', 'read'],
	['demo-liaison', 'dispute:d-c1', 'none'],
	['demo-liaison', 'session:s-c2', 'none'],
	['demo-police', 'grid:g1', 'read'],
	['demo-police', 'grid:g1:restricted', 'write'],
	['demo-police', 'grid:g4:restricted', 'none'],
	['demo-mediator', 'grid:g2', 'read'],
	['demo-mediator', 'dispute:d-c1', 'write'],
	['demo-committee', 'dispute:d-c1', 'read'],
	['demo-committee', 'grid:g1:restricted', 'none'],
	['demo-committee', 'session:s-c2', 'none'],
	['demo-committee', 'directory:c1', 'write'],
	['demo-admin', 'grid:g4:restricted', 'write'],
	['demo-admin', 'dispute:d-c2', 'write']
];

interface Cell {
	user: string;
	doc: string;
	expected: Access;
	client?: Client;
}

const cells: Cell[] = Object.entries(USERS).flatMap(([user, membership]) =>
	Object.entries(PLACES).map(([doc, place]) => ({ user, doc, expected: accessFor([membership], parseDocName(doc)!.kind, place) }))
);

const f = useServerAndClients();
const tokens: Record<string, string> = {};

beforeAll(async () => {
	addRecords(f.server, [
		{ kind: 'session', id: 's-c1', communityId: 'c1' },
		{ kind: 'session', id: 's-c2', communityId: 'c2' },
		{ kind: 'dispute', id: 'd-c1', communityId: 'c1' },
		{ kind: 'dispute', id: 'd-c2', communityId: 'c2' }
	]);
	for (const user of Object.keys(USERS)) tokens[user] = await f.server.login(user);
});

afterAll(() => {
	for (const c of cells) c.client?.destroy();
});

describe('access matrix over WebSockets', () => {
	it('hand-written rows agree with the derived expectations', () => {
		for (const [user, doc, access] of HAND_WRITTEN) {
			expect(cells.find((c) => c.user === user && c.doc === doc)?.expected, `${user} ${doc}`).toBe(access);
		}
		// every outcome occurs, for every kind of document
		for (const access of ['none', 'read', 'write'] as const) expect(cells.some((c) => c.expected === access)).toBe(true);
	});

	it('admits read-write, read-only or refuses each role × document exactly as the matrix says', async () => {
		for (const cell of cells) cell.client = connect(f.server.wsUrl, cell.doc, tokens[cell.user]);
		await waitFor(
			() => cells.every((c) => c.client!.refusals.length > 0 || c.client!.provider.isSynced),
			'every connection to be admitted or refused',
			30_000
		);
		const seen = cells.map((c) => {
			const p = c.client!.provider;
			// Hocuspocus 4 names the scopes 'readonly' and 'read-write'.
			const got = c.client!.refusals.length > 0 ? 'none' : ({ readonly: 'read', 'read-write': 'write' } as Record<string, Access>)[String(p.authorizedScope)] ?? `scope ${p.authorizedScope}`;
			return `${c.user} ${c.doc} ${got}`;
		});
		expect(seen).toEqual(cells.map((c) => `${c.user} ${c.doc} ${c.expected}`));
		for (const c of cells.filter((c) => c.expected === 'none')) expect(c.client!.refusals).toEqual(['forbidden']);
	});

	it('answers POST /api/docs/access with the same verdicts, for every user', async () => {
		const docs = [...Object.keys(PLACES), 'grid:g99', 'session:unknown', 'not a name'];
		for (const user of Object.keys(USERS)) {
			const res = await call(f.server, tokens[user], 'POST', '/api/docs/access', { docs });
			expect(res.status).toBe(200);
			const expected = Object.fromEntries(docs.map((d) => [d, cells.find((c) => c.user === user && c.doc === d)?.expected ?? 'none']));
			expect(res.body.access, user).toEqual(expected);
		}
		expect((await call(f.server, null, 'POST', '/api/docs/access', { docs })).status).toBe(401);
		expect((await call(f.server, tokens['demo-admin'], 'POST', '/api/docs/access', { docs: 'grid:g1' })).status).toBe(400);
	});

	it("stores read-write clients' edits under their user and drops read-only clients' edits", async () => {
		const admitted = cells.filter((c) => c.expected !== 'none');
		// The server answers every update with a sync status (applied or not); readers must get "not".
		const refused = new Set<Cell>();
		for (const c of admitted.filter((c) => c.expected === 'read')) {
			c.client!.provider.on('message', ({ message }: { message: { decoder: decoding.Decoder } }) => {
				const d = message.decoder;
				decoding.readVarString(d);
				if (decoding.readVarUint(d) === 8 && decoding.readVarInt(d) !== 1) refused.add(c);
			});
		}
		for (const c of admitted) probeEdit(c.client!.doc, c.doc, `u-${c.user}`, `${c.user} was here`);
		const writers = admitted.filter((c) => c.expected === 'write');
		await Promise.all(writers.map((c) => waitAcknowledged(c.client!)));
		await waitFor(() => refused.size === admitted.length - writers.length, "the server to refuse every reader's update");

		// A fresh admin client per document: it sees every writer's edit and no reader's.
		const watchers = new Map<string, Client>();
		const adminToken = tokens['demo-admin'];
		for (const doc of new Set(admitted.map((c) => c.doc))) watchers.set(doc, connect(f.server.wsUrl, doc, adminToken, new Y.Doc()));
		try {
			await Promise.all([...watchers.values()].map((w) => waitAcknowledged(w)));
			for (const c of writers) {
				await waitFor(() => hasProbe(watchers.get(c.doc)!.doc, c.doc, `${c.user} was here`), `${c.user}'s edit of ${c.doc} to arrive`);
			}
			for (const c of admitted) {
				const userId = `u-${c.user}`;
				const stored = updatesBy(f.server, userId, c.doc);
				if (c.expected === 'write') expect(stored, `${c.user} ${c.doc}`).toBeGreaterThan(0);
				else {
					expect(stored, `${c.user} ${c.doc}`).toBe(0);
					expect(hasProbe(watchers.get(c.doc)!.doc, c.doc, `${c.user} was here`), `${c.user} ${c.doc}`).toBe(false);
				}
			}
		} finally {
			for (const w of watchers.values()) w.destroy();
		}
	});
});
