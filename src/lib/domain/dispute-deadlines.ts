/**
 * Deadlines and supervision (时限 / 督办) of a folded case: whether it is overdue, by how many
 * working days, which board column it stands in today, and whether it is due to escalate by
 * itself. Everything here depends on the clock (`now`), so it is asked at display time and by
 * the server's supervision sweep, never stored.
 */
import type { BoardColumn } from './dispute-schema.ts';
import { nextLevel, type CaseState, type DeadlinePolicy } from './dispute-flow.ts';
import { chinaDate, workingDaysOverdue, type WorkCalendar } from './work-calendar.ts';

export interface Overdue {
	/** `case` for the case's own step, else the department id that is late. */
	who: 'case' | string;
	deadline: string;
	workingDays: number;
}

/** Every overdue time limit of the case at `now` (empty when none). */
export function overdueOf(state: CaseState, now: string, calendar: WorkCalendar): Overdue[] {
	const out: Overdue[] = [];
	if (state.deadline && state.stage !== 'closed' && state.stage !== 'declined') {
		const days = workingDaysOverdue(state.deadline, now, calendar);
		if (days > 0) out.push({ who: 'case', deadline: state.deadline, workingDays: days });
	}
	for (const d of state.departments) {
		if (!d.deadline) continue;
		const days = workingDaysOverdue(d.deadline, now, calendar);
		if (days > 0) out.push({ who: d.id, deadline: d.deadline, workingDays: days });
	}
	return out;
}

/**
 * Whether the case should escalate by itself now: waiting in intake or handling below the
 * street, overdue by more than the policy's margin. At the street there is no level above;
 * supervision there is the centre's reminder (催办).
 */
export function dueForAutoEscalation(state: CaseState, now: string, calendar: WorkCalendar, policy: DeadlinePolicy): boolean {
	if (state.stage !== 'intake' && state.stage !== 'handling') return false;
	if (nextLevel(state.level) === null || !state.deadline) return false;
	return workingDaysOverdue(state.deadline, now, calendar) > policy.escalateAfterDays;
}

/** The board column of a case today; null for leads, declined and closed cases. */
export function boardColumn(state: CaseState, now: string): BoardColumn | null {
	switch (state.stage) {
		case 'intake':
			return 'intake';
		case 'handling':
			return 'handling';
		case 'feedback':
			// the follow-up visit is due on the day `followUpDue` falls on
			return state.followUpDue && chinaDate(now) >= chinaDate(state.followUpDue) ? 'followUp' : 'feedback';
		default:
			return null;
	}
}
