/**
 * The bridge from a grid's Y.Doc to the liaison pages (my households, visits, the wish board,
 * points, assignment): it re-reads through the domain readers after every change and writes
 * only through the named mutations, with the current user as actor. Other grids of the same
 * community can be attached for the community leaderboard.
 */
import { SvelteMap } from 'svelte/reactivity';
import type * as Y from 'yjs';
import {
	ASSIGN_ROLES,
	byUrgency,
	DEFAULT_CAP,
	setAcquainted,
	assignLiaison,
	claimWish,
	completeWish,
	dispatchWish,
	householdVisits,
	leaderboard,
	liaisonHistory,
	listHouseholds,
	listLiaisonMembers,
	mayTakeWishStep,
	myHouseholds,
	observeGrid,
	overdueHouseholds,
	postWish,
	readAcquaintances,
	readGridMeta,
	recordVisit,
	suggestLiaisons,
	wishesByStatus,
	type Colour,
	type GridMeta,
	type Household,
	type HouseholdDue,
	type LiaisonEvent,
	type LiaisonMember,
	type Role,
	type Suggestion,
	type Tally,
	type Visit,
	type VisitMode,
	type Wish,
	type WishStatus,
	type WishStep
} from '$lib/domain';

export interface LiaisonUser {
	id: string;
	displayName: string;
	roles: readonly Role[];
}

export class LiaisonStore {
	meta = $state.raw<GridMeta>({ name: '', communityId: '', boundary: null, updatedAt: '' });
	households = $state.raw<Household[]>([]);
	/** This user's households, most urgent first. */
	mine = $state.raw<HouseholdDue[]>([]);
	/** The grid's overdue households, longest overdue first. */
	overdue = $state.raw<HouseholdDue[]>([]);
	board = $state.raw<Record<WishStatus, Wish[]>>({ posted: [], dispatched: [], claimed: [], done: [] });
	members = $state.raw<LiaisonMember[]>([]);
	/** Explicit "acquainted" overrides: householdId → member id. */
	acquainted = $state.raw<Record<string, string>>({});
	/** The most households one member looks after, for suggestions. */
	cap = $state(DEFAULT_CAP);
	readonly suggestions: Suggestion[] = $derived(
		suggestLiaisons(this.households, this.members, { cap: this.cap, acquainted: this.acquainted })
	);
	/** The member whose households the assignment map shows (null: everyone's). */
	memberFilter = $state<string | null>(null);
	readonly filtered = $derived(this.memberFilter ? this.households.filter((h) => h.liaisonId === this.memberFilter) : this.households);
	/** Leaderboard over this grid and the attached grids of the community. */
	ranking = $state.raw<Tally[]>([]);
	/** Overdue households of this grid and the attached grids, longest overdue first. */
	communityOverdue = $state.raw<(HouseholdDue & { gridId: string; gridName: string })[]>([]);
	selectedId = $state<string | null>(null);
	/** Visits of the selected household, newest first. */
	visits = $state.raw<Visit[]>([]);
	/** Liaison (re)assignments of the selected household, oldest first. */
	assignments = $state.raw<LiaisonEvent[]>([]);
	readOnly = $state(false);

	readonly selected = $derived(this.households.find((h) => h.id === this.selectedId) ?? null);
	/** The current user's tally (reactive: it reads `ranking`). */
	get myTally(): Tally {
		return this.ranking.find((t) => t.memberId === this.user.id) ?? { memberId: this.user.id, memberName: '', total: 0, visits: 0, wishes: 0, events: [] };
	}

	readonly user: LiaisonUser;
	readonly gridId: string;
	#doc: Y.Doc;
	#others = new SvelteMap<string, { doc: Y.Doc; stop: () => void }>();
	/** How many other grids of the community are attached. */
	readonly attached = $derived(this.#others.size);
	#stop: () => void;

	constructor(gridId: string, doc: Y.Doc, user: LiaisonUser) {
		this.gridId = gridId;
		this.#doc = doc;
		this.user = user;
		this.#read();
		this.#stop = observeGrid(doc, () => this.#read());
	}

	#read(): void {
		const doc = this.#doc;
		const now = new Date();
		this.meta = readGridMeta(doc);
		this.households = listHouseholds(doc);
		this.mine = myHouseholds(doc, this.user.id, now);
		this.overdue = overdueHouseholds(doc, now);
		this.board = wishesByStatus(doc);
		this.members = listLiaisonMembers(doc);
		this.acquainted = readAcquaintances(doc);
		this.visits = this.selectedId ? householdVisits(doc, this.selectedId) : [];
		this.assignments = this.selectedId ? liaisonHistory(doc, this.selectedId) : [];
		this.#rank(now, this.overdue);
	}

	/** Recomputes the community lists; `ownOverdue` is this grid's overdue list at `now` when already known. */
	#rank(now = new Date(), ownOverdue: HouseholdDue[] = overdueHouseholds(this.#doc, now)): void {
		const grids: [string, Y.Doc][] = [[this.gridId, this.#doc], ...[...this.#others].map(([id, o]) => [id, o.doc] as [string, Y.Doc])];
		this.ranking = leaderboard(grids.map(([, d]) => d));
		this.communityOverdue = grids
			.flatMap(([gridId, d]) => {
				const gridName = readGridMeta(d).name || gridId;
				return (d === this.#doc ? ownOverdue : overdueHouseholds(d, now)).map((due) => ({ ...due, gridId, gridName }));
			})
			.sort((a, b) => byUrgency(a, b));
	}

	/** Adds another grid of the community to the leaderboard (kept live). */
	attachCommunityGrid(gridId: string, doc: Y.Doc): void {
		if (this.#others.has(gridId)) return;
		this.#others.set(gridId, { doc, stop: observeGrid(doc, () => this.#rank()) });
		this.#rank();
	}

	may(step: WishStep): boolean {
		return !this.readOnly && mayTakeWishStep(this.user.roles, step);
	}

	get mayAssign(): boolean {
		return !this.readOnly && this.user.roles.some((r) => ASSIGN_ROLES.includes(r));
	}

	select(id: string | null): void {
		this.selectedId = id;
		this.visits = id ? householdVisits(this.#doc, id) : [];
		this.assignments = id ? liaisonHistory(this.#doc, id) : [];
	}

	household(id: string): Household | null {
		return this.households.find((h) => h.id === id) ?? null;
	}

	/** A member's name as the roster has it (the current user's login name if not on it). */
	memberName(id: string | null): string {
		if (!id) return '';
		const onRoster = this.members.find((m) => m.id === id)?.displayName;
		return onRoster || (id === this.user.id ? this.user.displayName : id);
	}

	#actor() {
		return { by: this.user.id, byName: this.memberName(this.user.id) };
	}

	/** Throws the domain's DomainError on invalid input; `id` made by the form, so a repeated tap records once. */
	recordVisit(householdId: string, mode: VisitMode, note: string, colourChange?: { to: Colour; reason: string }, id?: string): void {
		recordVisit(this.#doc, householdId, { mode, note, ...this.#actor(), colourChange }, id);
	}

	postWish(householdId: string, text: string, id?: string): void {
		postWish(this.#doc, householdId, text, this.#actor(), id);
	}

	dispatchWish(wishId: string, memberId: string | null): void {
		const member = memberId ? { id: memberId, displayName: this.memberName(memberId) } : null;
		dispatchWish(this.#doc, wishId, member, this.#actor());
	}

	claimWish(wishId: string): void {
		claimWish(this.#doc, wishId, this.#actor());
	}

	completeWish(wishId: string, note: string): void {
		completeWish(this.#doc, wishId, note, this.#actor());
	}

	assign(householdId: string, memberId: string | null): void {
		assignLiaison(this.#doc, householdId, memberId, this.user.id);
	}

	setAcquainted(householdId: string, memberId: string | null): void {
		setAcquainted(this.#doc, householdId, memberId);
	}

	destroy(): void {
		this.#stop();
		for (const o of this.#others.values()) o.stop();
		this.#others.clear();
	}
}
