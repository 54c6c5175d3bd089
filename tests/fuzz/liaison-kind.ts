/**
 * The grid document with its liaison work (issue 4) for the convergence fuzzer: the grid
 * kind's operations plus random visits, wishes through their steps, claims, assignments,
 * roster changes and acquaintances, some of them deliberately invalid. The readers compared
 * across replicas include the derived values that must agree everywhere: due dates, wish
 * statuses and claim winners, the leaderboard, suggestions.
 */
import * as Y from 'yjs';
import {
	assignLiaison,
	CADENCE_DAYS,
	claimWish,
	COLOURS,
	completeWish,
	DomainError,
	dispatchWish,
	householdsByUrgency,
	leaderboard,
	listHouseholds,
	listLiaisonMembers,
	listVisits,
	listWishes,
	myHouseholds,
	postWish,
	readAcquaintances,
	recordVisit,
	setAcquainted,
	setLiaisonMember,
	suggestLiaisons
} from '../../src/lib/domain/index.ts';
import type { FuzzDocKind, OpOutcome } from './doc-kind.ts';
import { gridKind } from './grid-kind.ts';
import type { Rng } from './rng.ts';

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const NOW = new Date('2026-11-20T00:00:00.000Z');
const MEMBERS = ['u0', 'u1', 'u2', 'u3', 'm-a', 'm-b'];
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// few distinct instants, so that equal claim times (ties by claimant id) happen
const timestamp = (rng: Rng) => new Date(T0 + rng.int(0, 40) * 3600_000).toISOString();
const newId = (rng: Rng) => Array.from({ length: 26 }, () => BASE32[rng.int(0, 31)]).join('');
const householdIds = (doc: Y.Doc) => listHouseholds(doc).map((h) => h.id);

function refusal(doc: Y.Doc, what: string, mutate: () => void): OpOutcome {
	const before = Y.encodeStateVector(doc);
	try {
		mutate();
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const after = Y.encodeStateVector(doc);
		if (before.length !== after.length || before.some((v, i) => v !== after[i])) throw new Error(`${what}: refused but the document changed`);
		return 'refused';
	}
	throw new Error(`${what}: invalid input was accepted`);
}

/** Runs a step that the domain may legitimately refuse for this replica's current state. */
function stepOrRefused(doc: Y.Doc, what: string, mutate: () => void): OpOutcome {
	const before = Y.encodeStateVector(doc);
	try {
		mutate();
		return 'applied';
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const after = Y.encodeStateVector(doc);
		if (before.length !== after.length || before.some((v, i) => v !== after[i])) throw new Error(`${what}: refused but the document changed`);
		return 'refused';
	}
}

/** Wishes seen (at the final check) with more than one claim: the conflict rule was exercised. */
export const seen = { contestedWishes: 0, visitedTwice: 0 };

export const liaisonKind: FuzzDocKind = {
	name: 'grid+liaison',
	roots: { ...gridKind.roots, liaisons: 'map', liaisonEvents: 'array', acquaintances: 'map' },
	ops: {
		...gridKind.ops,
		recordVisit: {
			weight: 5,
			run(doc, rng, actor) {
				const ids = householdIds(doc);
				if (ids.length === 0 || rng.chance(0.05))
					return refusal(doc, 'recordVisit(unknown)', () => recordVisit(doc, 'nobody', { mode: 'inPerson', note: '', by: actor }));
				const id = rng.pick(ids);
				if (rng.chance(0.08))
					return refusal(doc, 'recordVisit(no reason)', () =>
						recordVisit(doc, id, { mode: 'online', note: 'x', by: actor, colourChange: { to: rng.pick(COLOURS), reason: ' ' } })
					);
				const change = rng.chance(0.3) ? { to: rng.pick(COLOURS), reason: '走访发现新情况' } : undefined;
				recordVisit(doc, id, { mode: rng.pick(['inPerson', 'online'] as const), note: rng.text(0, 8), by: actor, byName: actor, at: timestamp(rng), colourChange: change }, newId(rng));
				return 'applied';
			}
		},
		postWish: {
			weight: 3,
			run(doc, rng, actor) {
				const ids = householdIds(doc);
				if (ids.length === 0 || rng.chance(0.08)) return refusal(doc, 'postWish(invalid)', () => postWish(doc, ids[0] ?? 'nobody', '  ', { by: actor }));
				postWish(doc, rng.pick(ids), `心愿${rng.text(1, 6)}`, { by: actor, byName: actor, at: timestamp(rng) }, newId(rng));
				return 'applied';
			}
		},
		dispatchWish: {
			weight: 3,
			run(doc, rng, actor) {
				const open = listWishes(doc).filter((w) => w.status === 'posted' || w.status === 'dispatched');
				if (open.length === 0) return refusal(doc, 'dispatchWish(unknown)', () => dispatchWish(doc, 'nobody', null, { by: actor }));
				const to = rng.chance(0.5) ? null : { id: rng.pick(MEMBERS), displayName: 'x' };
				dispatchWish(doc, rng.pick(open).id, to, { by: actor, byName: actor, at: timestamp(rng) });
				return 'applied';
			}
		},
		claimWish: {
			weight: 4,
			run(doc, rng, actor) {
				const wishes = listWishes(doc).filter((w) => w.status !== 'posted');
				if (wishes.length === 0) return refusal(doc, 'claimWish(unknown)', () => claimWish(doc, 'nobody', { by: actor }));
				const w = rng.pick(wishes);
				if (w.status !== 'dispatched') return refusal(doc, 'claimWish(claimed)', () => claimWish(doc, w.id, { by: actor }));
				return stepOrRefused(doc, 'claimWish', () => claimWish(doc, w.id, { by: actor, byName: actor, at: timestamp(rng) }, newId(rng)));
			}
		},
		completeWish: {
			weight: 2,
			run(doc, rng, actor) {
				const claimed = listWishes(doc).filter((w) => w.status === 'claimed');
				if (claimed.length === 0) {
					const posted = listWishes(doc).find((w) => w.status === 'posted' || w.status === 'dispatched');
					return refusal(doc, 'completeWish(unclaimed)', () => completeWish(doc, posted?.id ?? 'nobody', '', { by: actor }));
				}
				completeWish(doc, rng.pick(claimed).id, rng.text(0, 6), { by: actor, byName: actor, at: timestamp(rng) });
				return 'applied';
			}
		},
		assignLiaison: {
			weight: 3,
			run(doc, rng, actor) {
				const ids = householdIds(doc);
				if (ids.length === 0) return refusal(doc, 'assignLiaison(unknown)', () => assignLiaison(doc, 'nobody', 'u0', actor));
				assignLiaison(doc, rng.pick(ids), rng.chance(0.15) ? null : rng.pick(MEMBERS), actor, timestamp(rng));
				return 'applied';
			}
		},
		setLiaisonMember: {
			weight: 1,
			run(doc, rng) {
				if (rng.chance(0.1)) return refusal(doc, 'setLiaisonMember(no place)', () => setLiaisonMember(doc, { id: 'm-a', displayName: 'x', lng: NaN, lat: 0 }));
				setLiaisonMember(doc, { id: rng.pick(MEMBERS), displayName: rng.text(2, 3), lng: 120.24 + rng.int(0, 100) / 1e4, lat: 29.71 + rng.int(0, 100) / 1e4 });
				return 'applied';
			}
		},
		setAcquainted: {
			weight: 1,
			run(doc, rng) {
				const ids = householdIds(doc);
				if (ids.length === 0) return refusal(doc, 'setAcquainted(unknown)', () => setAcquainted(doc, 'nobody', 'u0'));
				setAcquainted(doc, rng.pick(ids), rng.chance(0.2) ? null : rng.pick(MEMBERS));
				return 'applied';
			}
		}
	},
	read(doc) {
		const households = listHouseholds(doc);
		const members = listLiaisonMembers(doc);
		return {
			grid: gridKind.read(doc),
			visits: listVisits(doc),
			wishes: listWishes(doc),
			urgency: householdsByUrgency(doc, NOW).map((d) => [d.household.id, d.due, d.overdue]),
			mine: MEMBERS.map((m) => myHouseholds(doc, m, NOW).map((d) => d.household.id)),
			leaderboard: leaderboard([doc]),
			members,
			suggestions: suggestLiaisons(households, members, { cap: 3, acquainted: readAcquaintances(doc) })
		};
	},
	checkInvariants(doc) {
		gridKind.checkInvariants(doc);
		const visits = listVisits(doc);
		for (const h of listHouseholds(doc)) {
			const mine = visits.filter((v) => v.householdId === h.id);
			if (mine.length === 0) continue;
			if (mine.length > 1) seen.visitedTwice++;
			const latest = Math.max(...mine.map((v) => Date.parse(v.at)));
			const want = new Date(latest + CADENCE_DAYS[h.colour] * 86_400_000).toISOString();
			if (h.nextVisitDue !== want) throw new Error(`household ${h.id}: due ${h.nextVisitDue}, expected ${want} from its latest visit`);
		}
		for (const w of listWishes(doc)) {
			if (w.claims.length > 1) seen.contestedWishes++;
			if (w.status === 'done' && !w.claimedBy) throw new Error(`wish ${w.id} is done with no claimant`);
			// `claims` is in winning order (the server's receipts first, a completion's claimant first of all)
			if (w.claims.length > 0 && w.dispatchedAt && w.claimedBy !== w.claims[0].by) throw new Error(`wish ${w.id}: winner is not the first-ranked claim`);
			// only the member it was dispatched to may win; a completion keeps the claimant it credited
			// even when a re-dispatch crossed it (wishes.ts)
			const counted = w.status === 'done' ? w.claims.slice(1) : w.claims;
			if (w.dispatchedTo && counted.some((c) => c.by !== w.dispatchedTo)) throw new Error(`wish ${w.id}: a claim by someone it was not dispatched to counts`);
		}
	}
};
