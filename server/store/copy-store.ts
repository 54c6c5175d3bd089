/**
 * Moving a city from one store to another (issue 10: from the SQLite file of a single server
 * to the PostgreSQL database several servers share), through the async contract only, and
 * checking the result.
 *
 * `copyStore` fills an empty target in one transaction, so a failed copy leaves it empty:
 * places (parents first), accounts with their password hashes, disabled flags, memberships
 * and sessions (logged-in devices stay logged in), records with their frozen state, and every
 * document's whole update log (same sequences, users and receive times) with its latest
 * snapshot. Not copied: failed-login counts (rate-limit state that expires within the hour)
 * and when each account was created or disabled (not part of the contract; disabled accounts
 * stay disabled, dated at the copy).
 *
 * `compareStores` reads both stores through the contract and lists every difference; empty
 * means a user could not tell them apart.
 */
import type { AsyncStore, AsyncStoreQueries, PlaceRecord, RecordPlace } from '../../src/lib/server/async-store.ts';

const KINDS: readonly RecordPlace['kind'][] = ['session', 'dispute'];

export interface CopyReport {
	docs: number;
	updates: number;
	users: number;
	places: number;
	records: number;
}

/** Places ordered so that every parent comes before its children. */
function parentsFirst(places: readonly PlaceRecord[]): PlaceRecord[] {
	const ids = new Set(places.map((p) => p.id));
	const placed = new Set<string>();
	const out: PlaceRecord[] = [];
	let rest = [...places];
	while (rest.length) {
		const ready = rest.filter((p) => p.parentId === null || placed.has(p.parentId) || !ids.has(p.parentId));
		if (ready.length === 0) throw new Error(`places form a cycle: ${rest.map((p) => p.id).join(', ')}`);
		for (const p of ready) {
			out.push(p);
			placed.add(p.id);
		}
		rest = rest.filter((p) => !placed.has(p.id));
	}
	return out;
}

export async function copyStore(from: AsyncStore, to: AsyncStore, progress: (line: string) => void = () => {}): Promise<CopyReport> {
	const target = await to.counts();
	if (Object.values(target).some((n) => n > 0)) {
		throw new Error(`the target store is not empty (${JSON.stringify(target)}); copy only into a new database`);
	}
	const places = parentsFirst(await from.places());
	const users = await from.listUsers();
	const docs = await from.listDocs();
	const report: CopyReport = { docs: docs.length, updates: 0, users: users.length, places: places.length, records: 0 };

	await to.transaction(async (tx: AsyncStoreQueries) => {
		for (const p of places) await tx.upsertPlace(p);
		progress(`places: ${places.length}`);

		for (const u of users) {
			const withHash = await from.userByUsername(u.username);
			if (!withHash) throw new Error(`user ${u.username} vanished during the copy`);
			await tx.createUser(withHash);
			if (u.disabled) await tx.setUserDisabled(u.id, true);
			for (const m of u.memberships) await tx.addMembership(u.id, { role: m.role, level: m.level, placeId: m.placeId });
			for (const s of await from.sessionsOfUser(u.id)) await tx.createSession(s);
		}
		progress(`users: ${users.length}`);

		for (const p of places) {
			for (const kind of KINDS) {
				for (const r of await from.recordsOfCommunity(kind, p.id)) {
					await tx.createRecord({ kind, id: r.id, communityId: r.communityId, title: r.title, createdBy: r.createdBy, createdAt: r.createdAt });
					if (r.frozenHash !== null) await tx.freezeRecord(kind, r.id, r.frozenHash, r.frozenAt ?? undefined);
					report.records++;
				}
			}
		}
		progress(`records: ${report.records}`);

		for (const d of docs) {
			for (const u of await from.updatesAfter(d.doc, 0)) {
				const seq = await tx.appendUpdate(d.doc, u.userId, u.update, u.receivedAt);
				if (seq !== u.seq) throw new Error(`${d.doc}: the source log has a gap before seq ${u.seq}; copied as ${seq}`);
				report.updates++;
			}
			const snapshot = await from.latestSnapshot(d.doc);
			if (snapshot) await tx.writeSnapshot(d.doc, snapshot.seq, snapshot.state);
		}
		progress(`documents: ${docs.length}, updates: ${report.updates}`);
	});
	return report;
}

const equalBytes = (a: Uint8Array, b: Uint8Array) =>
	Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Every difference a reader of the two stores could see; empty when there is none. */
export async function compareStores(a: AsyncStore, b: AsyncStore): Promise<string[]> {
	const diffs: string[] = [];
	const same = (what: string, x: unknown, y: unknown) => {
		if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${what}: ${JSON.stringify(x).slice(0, 200)} ≠ ${JSON.stringify(y).slice(0, 200)}`);
	};
	same('counts', await a.counts(), await b.counts());
	const places = await a.places();
	same('places', places, await b.places());
	const users = await a.listUsers();
	same('users', users, await b.listUsers());
	for (const u of users) {
		same(`password of ${u.username}`, await a.userByUsername(u.username), await b.userByUsername(u.username));
		same(`sessions of ${u.username}`, await a.sessionsOfUser(u.id), await b.sessionsOfUser(u.id));
	}
	for (const p of places) {
		for (const kind of KINDS) same(`${kind} records of ${p.id}`, await a.recordsOfCommunity(kind, p.id), await b.recordsOfCommunity(kind, p.id));
	}
	const docs = await a.listDocs();
	same('documents', docs, await b.listDocs());
	for (const d of docs) {
		const [x, y] = [await a.updatesAfter(d.doc, 0), await b.updatesAfter(d.doc, 0)];
		if (x.length !== y.length) diffs.push(`${d.doc}: ${x.length} ≠ ${y.length} updates`);
		else {
			const bad = x.findIndex(
				(u, i) => u.seq !== y[i].seq || u.userId !== y[i].userId || u.receivedAt !== y[i].receivedAt || !equalBytes(u.update, y[i].update)
			);
			if (bad >= 0) diffs.push(`${d.doc}: update ${x[bad].seq} differs`);
		}
		const [s, t] = [await a.latestSnapshot(d.doc), await b.latestSnapshot(d.doc)];
		if ((s === null) !== (t === null) || (s && t && (s.seq !== t.seq || !equalBytes(s.state, t.state)))) {
			diffs.push(`${d.doc}: snapshots differ`);
		}
	}
	return diffs;
}
