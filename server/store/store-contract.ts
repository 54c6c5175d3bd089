/**
 * The asynchronous Store contract as tests: one list of cases that every store must pass,
 * run against SQLite (sqlite-async-store.test.ts) and PostgreSQL (pg-store.test.ts).
 * Each case states what a user or an operator would notice if the store got it wrong:
 * a lost or reordered edit, a half-done change, someone else's order of names.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';

export interface StoreHarness {
	/** A store on a new, empty database. */
	fresh(): Promise<AsyncStore>;
	/** A second instance (own connections) on the database of the last `fresh` store. */
	another(): Promise<AsyncStore>;
	/** Drops what `fresh` made; the stores are closed already. */
	cleanup(): Promise<void>;
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

export function describeStoreContract(name: string, harness: StoreHarness): void {
	describe(`${name}: the Store contract`, () => {
		let store: AsyncStore;
		const opened: AsyncStore[] = [];
		const another = async () => {
			const s = await harness.another();
			opened.push(s);
			return s;
		};

		beforeEach(async () => {
			store = await harness.fresh();
			opened.push(store);
		});
		afterEach(async () => {
			for (const s of opened.splice(0)) await s.close();
			await harness.cleanup();
		});

		it('is new to the instance that created it only', async () => {
			expect(store.isNew).toBe(true);
			expect((await another()).isNew).toBe(false);
		});

		it('appends updates with per-document sequences, user and receive time, read back oldest first', async () => {
			expect(await store.lastSeq('grid:g1')).toBe(0);
			expect(await store.appendUpdate('grid:g1', 'u1', bytes(1), 1000)).toBe(1);
			expect(await store.appendUpdate('grid:g1', 'u2', bytes(2, 2), 2000)).toBe(2);
			expect(await store.appendUpdate('grid:g2', 'u1', bytes(3))).toBe(1);
			expect(await store.lastSeq('grid:g1')).toBe(2);
			const all = await store.updatesAfter('grid:g1', 0);
			expect(all.map((u) => [u.seq, u.userId, u.receivedAt, [...u.update]])).toEqual([
				[1, 'u1', 1000, [1]],
				[2, 'u2', 2000, [2, 2]]
			]);
			expect(all[0].update).toBeInstanceOf(Uint8Array);
			expect((await store.updatesAfter('grid:g1', 1)).map((u) => u.seq)).toEqual([2]);
			expect(await store.updatesAfter('grid:none', 0)).toEqual([]);
		});

		it('gives updatesAfter in sequence order, from any point, whatever the order of the bytes', async () => {
			// Appended in parallel from one instance: the order of arrival is the order of seq.
			const seqs = await Promise.all(
				Array.from({ length: 60 }, (_, i) => store.appendUpdate('grid:g1', `u${i % 3}`, bytes(255 - i, i), 5000 - i))
			);
			expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
			const tail = await store.updatesAfter('grid:g1', 41);
			expect(tail.map((u) => u.seq)).toEqual(Array.from({ length: 19 }, (_, i) => i + 42));
			for (const u of tail) {
				const i = seqs.indexOf(u.seq);
				expect([...u.update]).toEqual([255 - i, i]);
				expect(u.receivedAt).toBe(5000 - i);
			}
		});

		it('gives two instances appending to one document at once distinct, gap-free sequences, losing nothing', async () => {
			const second = await another();
			const perWriter = 40;
			const writers = [store, second].flatMap((s, instance) =>
				Array.from({ length: 4 }, async (_, w) => {
					const mine: [number, string][] = [];
					for (let i = 0; i < perWriter; i++) {
						const body = `${instance}-${w}-${i}`;
						mine.push([await s.appendUpdate('grid:busy', `user-${instance}`, new TextEncoder().encode(body)), body]);
					}
					return mine;
				})
			);
			const acknowledged = (await Promise.all(writers)).flat();
			const total = 2 * 4 * perWriter;
			expect(new Set(acknowledged.map(([seq]) => seq)).size).toBe(total);
			const log = await second.updatesAfter('grid:busy', 0);
			expect(log.map((u) => u.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
			const bySeq = new Map(log.map((u) => [u.seq, new TextDecoder().decode(u.update)]));
			for (const [seq, body] of acknowledged) expect(bySeq.get(seq)).toBe(body);
			expect(await store.lastSeq('grid:busy')).toBe(total);
		});

		it('group-commits a batch over several documents, sequences in the order given, from two instances at once', async () => {
			const second = await another();
			const enc = (t: string) => new TextEncoder().encode(t);
			const batch = (tag: string) =>
				['grid:b', 'grid:a', 'grid:b', 'session:s1', 'grid:a'].map((doc, i) => ({ doc, userId: tag, update: enc(`${tag}${i}`) }));
			const [one, two] = await Promise.all([store.appendUpdatesDurably(batch('x')), second.appendUpdatesDurably(batch('y'))]);
			for (const [tag, seqs] of [['x', one], ['y', two]] as const) {
				const b = batch(tag);
				for (let i = 0; i < b.length; i++) {
					const row = (await store.updatesAfter(b[i].doc, seqs[i] - 1))[0];
					expect(new TextDecoder().decode(row.update)).toBe(`${tag}${i}`);
				}
				// A document's updates keep their order within the batch.
				expect(seqs[2]).toBeGreaterThan(seqs[0]);
				expect(seqs[4]).toBeGreaterThan(seqs[1]);
			}
			expect(await store.lastSeq('grid:a')).toBe(4);
			expect(await store.lastSeq('grid:b')).toBe(4);
			expect(await store.appendUpdatesDurably([])).toEqual([]);
		});

		it('round-trips a 1 MB update and a 1 MB snapshot byte for byte', async () => {
			const big = randomBytes(1024 * 1024);
			big[0] = 0; // a leading zero and every byte value are kept
			expect(await store.appendUpdate('grid:big', 'u', big)).toBe(1);
			await store.writeSnapshot('grid:big', 1, big);
			const [u] = await (await another()).updatesAfter('grid:big', 0);
			expect(u.update.byteLength).toBe(big.byteLength);
			expect(same(u.update, big)).toBe(true);
			const snap = await store.latestSnapshot('grid:big');
			expect(snap?.seq).toBe(1);
			expect(same(snap!.state, big)).toBe(true);
		});

		it('keeps the latest snapshot only, and the whole log', async () => {
			for (let i = 0; i < 5; i++) await store.appendUpdate('grid:g1', 'u', bytes(i));
			expect(await store.latestSnapshot('grid:g1')).toBeNull();
			await store.writeSnapshot('grid:g1', 3, bytes(9, 9, 9));
			await store.writeSnapshot('grid:g1', 5, bytes(8));
			await store.writeSnapshot('grid:g1', 5, bytes(7, 7)); // written again: replaced
			const snap = await store.latestSnapshot('grid:g1');
			expect(snap?.seq).toBe(5);
			expect([...snap!.state]).toEqual([7, 7]);
			expect(await store.updatesAfter('grid:g1', 0)).toHaveLength(5);
			expect((await store.counts()).snapshots).toBe(1);
		});

		it('lists documents and counts rows for migration and verification', async () => {
			await store.appendUpdate('session:b', 'u', bytes(1));
			await store.appendUpdate('session:b', 'u', bytes(2));
			await store.appendUpdate('grid:A', 'u', bytes(3));
			await store.writeSnapshot('grid:A', 1, bytes(4));
			await store.writeSnapshot('grid:snapshot-only', 7, bytes(5));
			expect(await store.listDocs()).toEqual([
				{ doc: 'grid:A', updates: 1, lastSeq: 1, snapshotSeq: 1 },
				{ doc: 'grid:snapshot-only', updates: 0, lastSeq: 0, snapshotSeq: 7 },
				{ doc: 'session:b', updates: 2, lastSeq: 2, snapshotSeq: null }
			]);
			await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '枫桥街道' });
			await store.createUser({ id: 'u1', username: 'alice', displayName: '爱丽丝', passwordHash: 'h' });
			await store.addMembership('u1', { role: 'admin', level: 'street', placeId: 'st1' });
			await store.createSession({ id: 's1', userId: 'u1', expiresAt: 10 });
			await store.upsertRecord({ kind: 'dispute', id: 'd1', communityId: 'st1' });
			expect(await store.counts()).toEqual({
				docs: 3,
				updates: 3,
				snapshots: 2,
				users: 1,
				memberships: 1,
				sessions: 1,
				places: 1,
				records: 1
			});
		});

		it('commits a transaction whole, and a transaction that throws leaves nothing', async () => {
			await expect(
				store.transaction(async (tx) => {
					await tx.appendUpdate('grid:g1', 'u', bytes(1));
					await tx.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
					await tx.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
					await tx.writeSnapshot('grid:g1', 1, bytes(1));
					expect(await tx.lastSeq('grid:g1')).toBe(1); // the transaction sees its own writes
					throw new Error('boom');
				})
			).rejects.toThrow('boom');
			expect(await store.lastSeq('grid:g1')).toBe(0);
			expect(await store.latestSnapshot('grid:g1')).toBeNull();
			expect(await store.userByUsername('alice')).toBeNull();
			expect(await store.places()).toEqual([]);

			// A failing statement inside rolls back what came before it too.
			await store.createUser({ id: 'u0', username: 'bob', displayName: 'Bob', passwordHash: 'h' });
			await expect(
				store.transaction(async (tx) => {
					await tx.appendUpdate('grid:g1', 'u', bytes(1));
					await tx.createUser({ id: 'u2', username: 'bob', displayName: 'Bob again', passwordHash: 'h' });
				})
			).rejects.toThrow();
			expect(await store.lastSeq('grid:g1')).toBe(0);

			const result = await store.transaction(async (tx) => {
				await tx.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
				return tx.appendUpdate('grid:g1', 'u', bytes(1));
			});
			expect(result).toBe(1);
			expect(await (await another()).place('st1')).toMatchObject({ name: '街道' });
		});

		it('refuses a transaction handle used after its transaction ended', async () => {
			let leaked: Parameters<Parameters<AsyncStore['transaction']>[0]>[0] | undefined;
			await store.transaction(async (tx) => {
				leaked = tx;
			});
			await expect(leaked!.appendUpdate('grid:g1', 'u', bytes(1))).rejects.toThrow(/transaction has ended/);
			expect(await store.lastSeq('grid:g1')).toBe(0);
		});

		it('runs transactions one after another without losing either', async () => {
			await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '0' });
			const bump = () =>
				store.transaction(async (tx) => {
					await tx.appendUpdate('grid:t', 'u', bytes(1));
					await tx.recordLoginFailure('k', Date.now());
				});
			await Promise.all([bump(), bump(), bump(), store.appendUpdate('grid:t', 'u', bytes(2))]);
			expect(await store.lastSeq('grid:t')).toBe(4);
			expect((await store.loginFailuresSince('k', 0)).count).toBe(3);
		});

		it('keeps users, with unique usernames, renames, passwords and the disabled flag', async () => {
			await store.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
			await expect(
				store.createUser({ id: 'u2', username: 'alice', displayName: 'A2', passwordHash: 'h' })
			).rejects.toThrow();
			expect(await store.userByUsername('alice')).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
			expect(await store.userById('u1')).toEqual({ id: 'u1', username: 'alice', displayName: 'Alice' });
			expect(await store.userById('nobody')).toBeNull();
			expect(await store.userByUsername('nobody')).toBeNull();
			await store.setDisplayName('u1', '爱丽丝');
			await store.setPasswordHash('u1', 'h2');
			expect(await store.userByUsername('alice')).toMatchObject({ displayName: '爱丽丝', passwordHash: 'h2' });
			expect(await store.userDisabled('u1')).toBe(false);
			await store.setUserDisabled('u1', true, 123);
			expect(await store.userDisabled('u1')).toBe(true);
			expect(await store.userDisabled('nobody')).toBe(false);
			await store.setUserDisabled('u1', false);
			expect(await store.userDisabled('u1')).toBe(false);
		});

		it('gives memberships in SQLite order, a grid one with its community, and lists users by username bytewise', async () => {
			await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
			await store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '村' });
			await store.upsertPlace({ id: 'a1', level: 'grid', parentId: 'c1', name: '一组' });
			await store.upsertPlace({ id: 'B1', level: 'grid', parentId: 'c1', name: '二组' });
			await store.upsertPlace({ id: 'loose', level: 'grid', parentId: 'st1', name: '散组' });
			await store.createUser({ id: 'u1', username: 'bob', displayName: 'Bob', passwordHash: 'h' });
			await store.createUser({ id: 'u2', username: 'Zed', displayName: 'Zed', passwordHash: 'h' });
			await store.createUser({ id: 'u3', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
			await store.addMembership('u1', { role: 'liaison', level: 'grid', placeId: 'a1' });
			await store.addMembership('u1', { role: 'gridWorker', level: 'grid', placeId: 'a1' });
			await store.addMembership('u1', { role: 'gridWorker', level: 'grid', placeId: 'B1' });
			await store.addMembership('u1', { role: 'gridWorker', level: 'grid', placeId: 'loose' });
			await store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' });
			await store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'c1' }); // again: no change
			await expect(store.addMembership('u1', { role: 'committee', level: 'community', placeId: 'nowhere' })).rejects.toThrow();
			const expected = [
				{ role: 'committee', level: 'community', placeId: 'c1' },
				{ role: 'gridWorker', level: 'grid', placeId: 'B1', communityId: 'c1' },
				{ role: 'gridWorker', level: 'grid', placeId: 'a1', communityId: 'c1' },
				{ role: 'liaison', level: 'grid', placeId: 'a1', communityId: 'c1' },
				{ role: 'gridWorker', level: 'grid', placeId: 'loose' }
			];
			expect(await store.memberships('u1')).toEqual(expected);
			expect(await store.memberships('u3')).toEqual([]);
			await store.setUserDisabled('u2', true);
			expect(await store.listUsers()).toEqual([
				{ id: 'u2', username: 'Zed', displayName: 'Zed', disabled: true, memberships: [] },
				{ id: 'u3', username: 'alice', displayName: 'Alice', disabled: false, memberships: [] },
				{ id: 'u1', username: 'bob', displayName: 'Bob', disabled: false, memberships: expected }
			]);
			expect(await store.removeMembership('u1', { role: 'liaison', level: 'grid', placeId: 'a1' })).toBe(true);
			expect(await store.removeMembership('u1', { role: 'liaison', level: 'grid', placeId: 'a1' })).toBe(false);
			expect(await store.memberships('u1')).toHaveLength(4);
		});

		it('keeps sessions: newest first, expiry, ending one, all of a user, or the expired', async () => {
			await store.createUser({ id: 'u1', username: 'alice', displayName: 'Alice', passwordHash: 'h' });
			await store.createUser({ id: 'u2', username: 'bob', displayName: 'Bob', passwordHash: 'h' });
			await store.createSession({ id: 's-b', userId: 'u1', expiresAt: 100, createdAt: 10 });
			await store.createSession({ id: 's-a', userId: 'u1', expiresAt: 300, createdAt: 10 });
			await store.createSession({ id: 's-c', userId: 'u1', expiresAt: 300, createdAt: 20 });
			await store.createSession({ id: 's-d', userId: 'u2', expiresAt: 400 });
			await expect(store.createSession({ id: 's-x', userId: 'nobody', expiresAt: 1 })).rejects.toThrow();
			const now = Date.now();
			const d = await store.session('s-d');
			expect(d).toMatchObject({ id: 's-d', userId: 'u2', expiresAt: 400 });
			expect(d!.createdAt).toBeGreaterThanOrEqual(now - 60_000);
			expect(await store.session('nope')).toBeNull();
			expect((await store.sessionsOfUser('u1')).map((s) => s.id)).toEqual(['s-c', 's-a', 's-b']);
			await store.updateSessionExpiry('s-b', 200);
			expect(await store.session('s-b')).toEqual({ id: 's-b', userId: 'u1', expiresAt: 200, createdAt: 10 });
			expect(await store.deleteExpiredSessions(250)).toBe(1);
			expect(await store.session('s-b')).toBeNull();
			expect((await store.deleteSessionsOfUser('u1')).sort()).toEqual(['s-a', 's-c']);
			expect(await store.deleteSessionsOfUser('u1')).toEqual([]);
			await store.deleteSession('s-d');
			expect(await store.session('s-d')).toBeNull();
		});

		it('counts, forgets, clears and prunes failed logins', async () => {
			expect(await store.loginFailuresSince('acct:alice', 0)).toEqual({ count: 0, oldest: null, newest: null });
			await store.recordLoginFailure('acct:alice', 100);
			await store.recordLoginFailure('acct:alice', 200);
			await store.recordLoginFailure('acct:alice', 300);
			await store.recordLoginFailure('addr:1.2.3.4', 50);
			expect(await store.loginFailuresSince('acct:alice', 150)).toEqual({ count: 2, oldest: 200, newest: 300 });
			await store.forgetLoginFailure('acct:alice', 300);
			expect(await store.loginFailuresSince('acct:alice', 150)).toEqual({ count: 1, oldest: 200, newest: 200 });
			await store.recordLoginFailure('acct:alice', 300);
			expect(await store.pruneLoginFailures(200)).toBe(2);
			expect(await store.loginFailuresSince('acct:alice', 0)).toEqual({ count: 2, oldest: 200, newest: 300 });
			await store.clearLoginFailures('acct:alice');
			expect(await store.loginFailuresSince('acct:alice', 0)).toEqual({ count: 0, oldest: null, newest: null });
		});

		it('keeps the jurisdiction tree, sorted by id bytewise, and refuses a bad level or parent', async () => {
			await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
			await store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '村' });
			await store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '一组' });
			await store.upsertPlace({ id: 'G2', level: 'grid', parentId: 'c1', name: '二组' });
			await store.upsertPlace({ id: 'g1', level: 'grid', parentId: 'c1', name: '第一组' });
			expect(await store.place('g1')).toEqual({ id: 'g1', level: 'grid', parentId: 'c1', name: '第一组' });
			expect(await store.place('st1')).toEqual({ id: 'st1', level: 'street', parentId: null, name: '街道' });
			expect(await store.place('none')).toBeNull();
			expect((await store.places('grid')).map((p) => p.id)).toEqual(['G2', 'g1']);
			expect((await store.places()).map((p) => p.id)).toEqual(['G2', 'c1', 'g1', 'st1']);
			await store.renamePlace('c1', '枫源村');
			expect((await store.place('c1'))?.name).toBe('枫源村');
			await expect(store.upsertPlace({ id: 'x', level: 'planet' as never, parentId: null, name: 'x' })).rejects.toThrow();
			await expect(store.upsertPlace({ id: 'y', level: 'grid', parentId: 'nowhere', name: 'y' })).rejects.toThrow();
			expect(await store.places()).toHaveLength(4);
		});

		it('keeps records with their community, newest first, frozen once', async () => {
			await store.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '街道' });
			await store.upsertPlace({ id: 'c1', level: 'community', parentId: 'st1', name: '村' });
			await store.upsertPlace({ id: 'c2', level: 'community', parentId: 'st1', name: '另村' });
			await store.upsertRecord({ kind: 'dispute', id: 'd1', communityId: 'c1' });
			await store.upsertRecord({ kind: 'dispute', id: 'd1', communityId: 'c2' });
			expect(await store.record('dispute', 'd1')).toEqual({ kind: 'dispute', id: 'd1', communityId: 'c2' });
			expect(await store.record('session', 'd1')).toBeNull();
			await expect(store.upsertRecord({ kind: 'meeting' as never, id: 'm', communityId: 'c1' })).rejects.toThrow();

			const base = { kind: 'session' as const, communityId: 'c1', createdBy: 'u1' };
			await store.createRecord({ ...base, id: 's-a', title: '议事一', createdAt: 100 });
			await store.createRecord({ ...base, id: 's-b', title: '议事二', createdAt: 100 });
			await store.createRecord({ ...base, id: 's-c', title: '议事三', createdAt: 300 });
			await store.createRecord({ ...base, id: 's-other', communityId: 'c2', title: '别处', createdAt: 400 });
			await expect(store.createRecord({ ...base, id: 's-a', title: 'again', createdAt: 1 })).rejects.toThrow();
			expect((await store.recordsOfCommunity('session', 'c1')).map((r) => r.id)).toEqual(['s-c', 's-b', 's-a']);
			expect(await store.recordsOfCommunity('dispute', 'c1')).toEqual([]);
			expect(await store.recordDetails('session', 's-a')).toEqual({
				...base,
				id: 's-a',
				title: '议事一',
				createdAt: 100,
				frozenHash: null,
				frozenAt: null
			});
			expect(await store.recordDetails('session', 'none')).toBeNull();

			expect(await store.freezeRecord('session', 's-a', 'hash-1', 500)).toBe(true);
			expect(await store.freezeRecord('session', 's-a', 'hash-2', 600)).toBe(false);
			expect(await store.freezeRecord('session', 'none', 'hash', 600)).toBe(false);
			expect(await store.recordDetails('session', 's-a')).toMatchObject({ frozenHash: 'hash-1', frozenAt: 500 });
		});
	});
}
