/**
 * Post points (岗位积分): credit for visits and completed wishes, with configurable weights.
 *
 * Points are never stored: they are read from the visits and wishes of the grid documents, so
 * they merge like the records they come from and every device agrees. A visit earns its
 * visitor the weight of its mode; a done wish earns its winning claimant (wishes.ts) the wish
 * weight. A member's tally keeps the events behind it; a community's leaderboard sums the
 * tallies over the community's grid documents.
 */
import type * as Y from 'yjs';
import { listVisits, type VisitMode } from './visits.ts';
import { listWishes } from './wishes.ts';

export interface PointWeights {
	visit: Record<VisitMode, number>;
	wishDone: number;
}

export const DEFAULT_WEIGHTS: PointWeights = { visit: { inPerson: 2, online: 1 }, wishDone: 5 };

export interface PointEvent {
	memberId: string;
	memberName: string;
	kind: 'visit' | 'wish';
	/** The visit or wish id. */
	refId: string;
	householdId: string;
	at: string;
	points: number;
	/** For visits, their mode. */
	mode?: VisitMode;
}

export interface Tally {
	memberId: string;
	memberName: string;
	total: number;
	visits: number;
	wishes: number;
	/** Newest first. */
	events: PointEvent[];
}

/** Every point-earning event of one grid document, oldest first. */
export function pointEvents(doc: Y.Doc, weights: PointWeights = DEFAULT_WEIGHTS): PointEvent[] {
	const events: PointEvent[] = [];
	for (const v of listVisits(doc)) {
		events.push({ memberId: v.by, memberName: v.byName, kind: 'visit', refId: v.id, householdId: v.householdId, at: v.at, points: weights.visit[v.mode] ?? 0, mode: v.mode });
	}
	for (const w of listWishes(doc)) {
		if (w.status !== 'done' || !w.claimedBy) continue;
		events.push({ memberId: w.claimedBy, memberName: w.claimedByName ?? '', kind: 'wish', refId: w.id, householdId: w.householdId, at: w.doneAt!, points: weights.wishDone });
	}
	return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.refId < b.refId ? -1 : 1));
}

/** Tallies per member of the given events (from one or many grids), highest total first, ties by id. */
export function tallies(events: readonly PointEvent[]): Tally[] {
	const byMember = new Map<string, Tally>();
	for (const e of events) {
		let t = byMember.get(e.memberId);
		if (!t) byMember.set(e.memberId, (t = { memberId: e.memberId, memberName: e.memberName, total: 0, visits: 0, wishes: 0, events: [] }));
		t.total += e.points;
		if (e.kind === 'visit') t.visits++;
		else t.wishes++;
		if (!t.memberName && e.memberName) t.memberName = e.memberName;
		t.events.push(e);
	}
	for (const t of byMember.values()) t.events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.refId < b.refId ? 1 : -1));
	return [...byMember.values()].sort((a, b) => b.total - a.total || (a.memberId < b.memberId ? -1 : 1));
}

/** The leaderboard of a community, from the grid documents of that community. */
export function leaderboard(docs: readonly Y.Doc[], weights: PointWeights = DEFAULT_WEIGHTS): Tally[] {
	return tallies(docs.flatMap((d) => pointEvents(d, weights)));
}

/** One member's tally (zero when they have earned nothing yet). */
export function memberTally(docs: readonly Y.Doc[], memberId: string, weights: PointWeights = DEFAULT_WEIGHTS): Tally {
	return (
		leaderboard(docs, weights).find((t) => t.memberId === memberId) ?? { memberId, memberName: '', total: 0, visits: 0, wishes: 0, events: [] }
	);
}
