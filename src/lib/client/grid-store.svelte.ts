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

	readonly counts: Record<Colour, number> = $derived(countByColour(this.households));
	readonly selected = $derived(this.households.find((h) => h.id === this.selectedId) ?? null);
	readonly shown = $derived(this.households.filter((h) => this.visible[h.colour]));
	readonly visibleColours = $derived(COLOURS.filter((c) => this.visible[c]));

	#doc: Y.Doc;
	#by: string;
	#stop: () => void;

	/** The user's display name, written into colour events so other devices can name them offline. */
	#byName: string;

	constructor(doc: Y.Doc, by: string, loadedFrom?: Promise<LoadedFrom>, byName = '') {
		this.#doc = doc;
		this.#by = by;
		this.#byName = byName;
		this.#read();
		this.#stop = observeGrid(doc, () => this.#read());
		void loadedFrom?.then((from) => (this.loadedFrom = from));
	}

	#read(): void {
		this.meta = readGridMeta(this.#doc);
		this.households = listHouseholds(this.#doc).sort((a, b) => byAddress.compare(a.address, b.address) || (a.id < b.id ? -1 : 1));
		this.history = this.selectedId ? colourHistory(this.#doc, this.selectedId) : [];
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
	}

	changeColour(id: string, to: Colour, reason: string): void {
		changeColour(this.#doc, id, to, reason, this.#by, undefined, this.#byName);
	}

	destroy(): void {
		this.#stop();
	}
}
