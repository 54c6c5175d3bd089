/**
 * The bridge from a grid's Y.Doc to Svelte: the one place where the UI reads and changes a
 * grid. It re-reads through the domain readers after every change (a grid holds about a
 * hundred households, so a full read is cheap) and writes only through the named mutations,
 * with the current user as `by`.
 */
import type * as Y from 'yjs';
import {
	COLOURS,
	changeColour,
	colourHistory,
	countByColour,
	listHouseholds,
	observeGrid,
	readGridMeta,
	updateHousehold,
	type Colour,
	type ColourEvent,
	type GridMeta,
	type Household,
	type HouseholdFields
} from '$lib/domain';
import type { LoadedFrom } from './grid-session.ts';
import { OverwriteWatch, type Overwrite, type WatchedField } from './overwrite-watch.ts';

/** Addresses in the order people read them: 1号, 2号, … 10号 (numbers compared as numbers). */
const byAddress = new Intl.Collator('zh-CN', { numeric: true });

export class GridStore {
	meta = $state.raw<GridMeta>({ name: '', communityId: '', boundary: null, updatedAt: '' });
	households = $state.raw<Household[]>([]);
	/** Colour history of the selected household, oldest first. */
	history = $state.raw<ColourEvent[]>([]);
	selectedId = $state<string | null>(null);
	/** The server granted read access only: the UI hides what would be refused. */
	readOnly = $state(false);
	/** Colours shown on the map and in the list. */
	visible = $state<Record<Colour, boolean>>({ red: true, orange: true, yellow: true, green: true });
	/** Where the first complete copy of the grid came from; null until it is in memory. */
	loadedFrom = $state<LoadedFrom | null>(null);
	/** This user's changes that someone else's concurrent change overwrote, to tell and re-apply. */
	overwrites = $state.raw<Overwrite[]>([]);

	readonly counts: Record<Colour, number> = $derived(countByColour(this.households));
	readonly selected = $derived(this.households.find((h) => h.id === this.selectedId) ?? null);
	readonly shown = $derived(this.households.filter((h) => this.visible[h.colour]));
	readonly visibleColours = $derived(COLOURS.filter((c) => this.visible[c]));

	#doc: Y.Doc;
	#by: string;
	#stop: () => void;

	/** The user's display name, written into colour events so other devices can name them offline. */
	#byName: string;
	#watch: OverwriteWatch | null = null;

	constructor(
		doc: Y.Doc,
		by: string,
		loadedFrom?: Promise<LoadedFrom>,
		byName = '',
		watch?: { storageKey: string; whenClean: () => Promise<void> }
	) {
		this.#doc = doc;
		this.#by = by;
		this.#byName = byName;
		if (watch) this.#watch = new OverwriteWatch(doc, watch.storageKey, watch.whenClean, (o) => (this.overwrites = [...this.overwrites, o]));
		this.#read();
		this.#stop = observeGrid(doc, () => this.#read());
		void loadedFrom?.then((from) => (this.loadedFrom = from));
	}

	#read(): void {
		this.meta = readGridMeta(this.#doc);
		this.households = listHouseholds(this.#doc).sort((a, b) => byAddress.compare(a.address, b.address) || (a.id < b.id ? -1 : 1));
		this.history = this.selectedId ? colourHistory(this.#doc, this.selectedId) : [];
		this.#watch?.check();
	}

	select(id: string | null): void {
		this.selectedId = id;
		this.history = id ? colourHistory(this.#doc, id) : [];
	}

	toggleColour(colour: Colour): void {
		this.visible[colour] = !this.visible[colour];
	}

	/** Throws the domain's DomainError on invalid input. */
	updateHousehold(id: string, patch: Partial<HouseholdFields>): void {
		updateHousehold(this.#doc, id, patch);
		for (const [field, value] of Object.entries(patch)) this.#watch?.wrote({ householdId: id, field: field as WatchedField, value });
	}

	changeColour(id: string, to: Colour, reason: string): void {
		changeColour(this.#doc, id, to, reason, this.#by, undefined, this.#byName);
		this.#watch?.wrote({ householdId: id, field: 'colour', value: to, reason });
	}

	/** Writes the user's overwritten value again (one tap), as a new change. */
	reapply(o: Overwrite): void {
		this.dismiss(o);
		if (o.field === 'colour') this.changeColour(o.householdId, o.value as Colour, o.reason ?? '');
		else this.updateHousehold(o.householdId, { [o.field]: o.value } as Partial<HouseholdFields>);
	}

	dismiss(o: Overwrite): void {
		this.overwrites = this.overwrites.filter((x) => x !== o);
	}

	destroy(): void {
		this.#stop();
	}
}
