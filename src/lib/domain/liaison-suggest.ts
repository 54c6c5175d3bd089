/**
 * Suggesting a liaison member for each unassigned household: 就近、就便、就熟 (nearest, most
 * convenient, already acquainted).
 *
 * 1. Acquainted first: an explicit "acquainted" override wins over distance and over the cap
 *    (the community chose it knowingly), as long as the member is on the roster.
 * 2. Then nearest first, globally: every (household, member) pair sorted by straight-line
 *    (haversine) distance from the member's anchor point; a pair is taken when the household is
 *    still open and the member is under the cap. Taking the globally shortest pairs first keeps
 *    a member's slots for the households closest to them instead of whoever is listed first.
 * 3. Households left over (every member full) get no suggestion.
 *
 * Pure and deterministic: ties are broken by household id, then member id, so every device
 * suggests the same.
 */
import type { Household } from './grid-doc.ts';
import type { LiaisonMember } from './liaisons.ts';

export const DEFAULT_CAP = 30;

export interface SuggestOptions {
	/** The most households one member looks after (existing assignments count). */
	cap?: number;
	/** householdId → member id: explicit "acquainted" overrides. */
	acquainted?: Readonly<Record<string, string>>;
}

export interface Suggestion {
	householdId: string;
	memberId: string | null;
	/** Metres from the member's anchor point to the household (null without a member). */
	distance: number | null;
	reason: 'acquainted' | 'nearest' | 'allFull';
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two [lng, lat] points. */
export function haversine(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
	const dLat = rad(b.lat - a.lat);
	const dLng = rad(b.lng - a.lng);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A suggestion for every household with no liaison member, sorted by household id. */
export function suggestLiaisons(
	households: readonly Household[],
	members: readonly LiaisonMember[],
	options: SuggestOptions = {}
): Suggestion[] {
	const cap = options.cap ?? DEFAULT_CAP;
	const acquainted = options.acquainted ?? {};
	const byId = new Map(members.map((m) => [m.id, m]));
	const load = new Map(members.map((m) => [m.id, 0]));
	for (const h of households) if (h.liaisonId !== null && load.has(h.liaisonId)) load.set(h.liaisonId, load.get(h.liaisonId)! + 1);

	const open = households.filter((h) => h.liaisonId === null).sort((a, b) => cmp(a.id, b.id));
	const result = new Map<string, Suggestion>();

	for (const h of open) {
		const member = byId.get(acquainted[h.id] ?? '');
		if (!member) continue;
		result.set(h.id, { householdId: h.id, memberId: member.id, distance: haversine(member, h), reason: 'acquainted' });
		load.set(member.id, load.get(member.id)! + 1);
	}

	const pairs: { h: Household; m: LiaisonMember; d: number }[] = [];
	for (const h of open) {
		if (result.has(h.id)) continue;
		for (const m of members) pairs.push({ h, m, d: haversine(m, h) });
	}
	pairs.sort((a, b) => a.d - b.d || cmp(a.h.id, b.h.id) || cmp(a.m.id, b.m.id));
	for (const { h, m, d } of pairs) {
		if (result.has(h.id) || load.get(m.id)! >= cap) continue;
		result.set(h.id, { householdId: h.id, memberId: m.id, distance: d, reason: 'nearest' });
		load.set(m.id, load.get(m.id)! + 1);
	}

	return open.map((h) => result.get(h.id) ?? { householdId: h.id, memberId: null, distance: null, reason: 'allFull' });
}
