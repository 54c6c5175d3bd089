/**
 * The bridge from a grid's Y.Doc to the liaison pages (my households, visits, the wish board,
 * points, assignment): it re-reads through the domain readers after every change and writes
 * only through the named mutations, with the current user as actor. Other grids of the same
 * community can be attached for the community leaderboard.
 */
import type * as Y from 'yjs';
import {
	ASSIGN_ROLES,
	assignLiaison,
	claimWish,
	completeWish,
	dispatchWish,
	householdVisits,
	leaderboard,
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
	suggestions = $state.raw<Suggestion[]>([]);
	/** Leaderboard over this grid and the attached grids of the community. */
	ranking = $state.raw<Tally[]>([]);
	selectedId = $state<string | null>(null);
	/** Visits of the selected household, newest first. */
	visits = $state.raw<Visit[]>([]);
	readOnly = $state(false);

	readonly selected = $derived(this.households.find((h) => h.id === this.selectedId) ?? null);
	/** The current user's tally (reactive: it reads `ranking`). */
	get myTally(): Tally {
		return this.ranking.find((t) => t.memberId === this.user.id) ?? { memberId: this.user.id, memberName: '', total: 0, visits: 0, wishes: 0, events: [] };
	}

	readonly user: LiaisonUser;
	#doc: Y.Doc;
	#others = new Map<string, { doc: Y.Doc; stop: () => void }>();
	#stop: () => void;

	constructor(doc: Y.Doc, user: LiaisonUser) {
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
		this.suggestions = suggestLiaisons(this.households, this.members, { acquainted: readAcquaintances(doc) });
		this.visits = this.selectedId ? householdVisits(doc, this.selectedId) : [];
		this.#rank();
	}

	#rank(): void {
		this.ranking = leaderboard([this.#doc, ...[...this.#others.values()].map((o) => o.doc)]);
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
	}

	household(id: string): Household | null {
		return this.households.find((h) => h.id === id) ?? null;
	}

	memberName(id: string | null): string {
		if (!id) return '';
		if (id === this.user.id) return this.user.displayName;
		return this.members.find((m) => m.id === id)?.displayName ?? id;
	}

	#actor() {
		return { by: this.user.id, byName: this.user.displayName };
	}

	/** Throws the domain's DomainError on invalid input. */
	recordVisit(householdId: string, mode: VisitMode, note: string, colourChange?: { to: Colour; reason: string }): void {
		recordVisit(this.#doc, householdId, { mode, note, ...this.#actor(), colourChange });
	}

	postWish(householdId: string, text: string): void {
		postWish(this.#doc, householdId, text, this.#actor());
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

	destroy(): void {
		this.#stop();
		for (const o of this.#others.values()) o.stop();
		this.#others.clear();
	}
}
