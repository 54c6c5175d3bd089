/**
 * The figures a street or community office reports on its disputes (矛盾纠纷 台账 figures):
 * cases received, resolved, 化解率, the share resolved at grid or community level
 * (矛盾不上交率), average days to resolve, follow-ups done and reopened cases. They are computed
 * from folded cases (dispute-flow.ts), the same on a tablet's register and the server's index.
 */
import type { CaseLevel } from './dispute-schema.ts';
import type { CaseState } from './dispute-flow.ts';

export interface DisputeFigures {
	/** Cases registered (or accepted from a lead) in the period. */
	received: number;
	/** Of those, resolved: outcome 调解成功 or 部分达成. */
	resolved: number;
	/** resolved / received, 0..1 (null with nothing received). */
	resolutionRate: number | null;
	/** Of the resolved, resolved at grid or community level, 0..1: 矛盾不上交率. */
	resolvedLocallyRate: number | null;
	/** Mean calendar days from registration to outcome over the resolved (null when none). */
	averageDaysToResolve: number | null;
	followUpsDone: number;
	/** Cases reopened at least once by a 不满意 follow-up. */
	reopened: number;
	/** Resolved cases by the level that resolved them. */
	resolvedByLevel: Record<CaseLevel, number>;
}

const DAY_MS = 86_400_000;
const LOCAL: readonly CaseLevel[] = ['grid', 'community'];

/** Figures over the cases registered in [from, to) (ISO instants). */
export function disputeFigures(cases: readonly CaseState[], from: string, to: string): DisputeFigures {
	const inPeriod = cases.filter((c) => c.registeredAt !== null && c.registeredAt >= from && c.registeredAt < to);
	const resolved = inPeriod.filter((c) => c.outcome === 'success' || c.outcome === 'partial');
	const byLevel: Record<CaseLevel, number> = { grid: 0, community: 0, street: 0 };
	for (const c of resolved) byLevel[c.level]++;
	const days = resolved
		.filter((c) => c.outcomeAt !== null)
		.map((c) => (Date.parse(c.outcomeAt as string) - Date.parse(c.registeredAt as string)) / DAY_MS);
	const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
	return {
		received: inPeriod.length,
		resolved: resolved.length,
		resolutionRate: ratio(resolved.length, inPeriod.length),
		resolvedLocallyRate: ratio(resolved.filter((c) => LOCAL.includes(c.level)).length, resolved.length),
		averageDaysToResolve: days.length === 0 ? null : Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
		followUpsDone: inPeriod.reduce((n, c) => n + c.followUps.length, 0),
		reopened: inPeriod.filter((c) => c.reopened > 0).length,
		resolvedByLevel: byLevel
	};
}
