/**
 * Tells a user when a household field they changed on this device ended up with someone else's
 * concurrent value (issue 13). Yjs settles concurrent writes of one map key the same way on
 * every device (the higher client wins), silently: a colour set red offline can come back
 * yellow after sync while the screen had said 已保存.
 *
 * The device keeps each field it wrote, with the value (and a colour change's reason), until
 * the server has confirmed its edits (`whenClean`) with the value still standing: then the
 * write won, or nobody else wrote. If the field shows another value first, that can only be a
 * remote write that beat it: a conflict, reported once, with what won and who wrote it (colour
 * changes name their author in colourEvents; other fields are named from the server's history
 * by the page). The list survives a reload (localStorage), as offline edits do.
 */
import type * as Y from 'yjs';
import { colourHistory, readHousehold, type Household } from '$lib/domain';

export type WatchedField = 'address' | 'head' | 'phone' | 'size' | 'tags' | 'colour';

export interface OwnWrite {
	householdId: string;
	field: WatchedField;
	value: unknown;
	/** A colour change's reason, to re-apply it in one tap. */
	reason?: string;
}

export interface Overwrite extends OwnWrite {
	address: string;
	theirs: unknown;
	/** Who wrote the winning value, when the device knows (colour events carry names). */
	byId: string | null;
	byName: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const key = (w: Pick<OwnWrite, 'householdId' | 'field'>) => `${w.householdId}\u0000${w.field}`;

export class OverwriteWatch {
	#doc: Y.Doc;
	#storageKey: string;
	#whenClean: () => Promise<void>;
	#onOverwrite: (o: Overwrite) => void;
	#writes = new Map<string, OwnWrite>();
	#settling = false;

	constructor(doc: Y.Doc, storageKey: string, whenClean: () => Promise<void>, onOverwrite: (o: Overwrite) => void) {
		this.#doc = doc;
		this.#storageKey = storageKey;
		this.#whenClean = whenClean;
		this.#onOverwrite = onOverwrite;
		try {
			const saved = JSON.parse(localStorage.getItem(storageKey) ?? '[]') as OwnWrite[];
			for (const w of saved) this.#writes.set(key(w), w);
		} catch {
			// nothing saved, or unreadable: start empty
		}
		if (this.#writes.size > 0) this.#settle();
	}

	/** Remembers a write this device just made (after the mutation went through). */
	wrote(w: OwnWrite): void {
		this.#writes.set(key(w), w);
		this.#save();
		this.#settle();
	}

	/** Call after every change of the document: a remote value over one of ours is an overwrite. */
	check(): void {
		let changed = false;
		for (const [k, w] of this.#writes) {
			const h = readHousehold(this.#doc, w.householdId);
			if (!h) continue; // not loaded yet (or removed): nothing to compare
			const theirs = h[w.field as keyof Household];
			if (same(theirs, w.value)) continue;
			this.#writes.delete(k);
			changed = true;
			this.#onOverwrite({ ...w, address: h.address, theirs, ...this.#author(w, theirs) });
		}
		if (changed) this.#save();
	}

	#author(w: OwnWrite, theirs: unknown): { byId: string | null; byName: string | null } {
		if (w.field !== 'colour') return { byId: null, byName: null };
		const winner = colourHistory(this.#doc, w.householdId)
			.filter((e) => e.to === theirs)
			.at(-1);
		return { byId: winner?.by ?? null, byName: winner?.byName || null };
	}

	/** Once the server has every edit of this device, the writes still standing are settled. */
	#settle(): void {
		if (this.#settling) return;
		this.#settling = true;
		void this.#whenClean().then(() => {
			this.#settling = false;
			this.check();
			for (const [k, w] of this.#writes) {
				const h = readHousehold(this.#doc, w.householdId);
				if (h && same(h[w.field as keyof Household], w.value)) this.#writes.delete(k);
			}
			this.#save();
		});
	}

	#save(): void {
		try {
			if (this.#writes.size === 0) localStorage.removeItem(this.#storageKey);
			else localStorage.setItem(this.#storageKey, JSON.stringify([...this.#writes.values()]));
		} catch {
			// storage full or unavailable: the watch still works for this visit
		}
	}
}
