/**
 * A household's colour history as people read it: every change in time order, the ones that
 * lost to a concurrent change marked. colourEvents is append-only, so two changes made from
 * the same colour on two offline tablets are both kept, while the household's colour (a map
 * key) keeps only one of them. Changes made from the same colour one after the other in time
 * are such a concurrent set; the one whose colour the next set starts from (or, for the last
 * set, the household's colour now) won, the others lost.
 */
import type { Colour } from './colours.ts';
import type { ColourEvent } from './grid-doc.ts';

export interface ReadColourEvent extends ColourEvent {
	/** Overwritten by a concurrent change: made, but never the household's colour. */
	lost: boolean;
}

export function readColourHistory(events: readonly ColourEvent[], current: Colour): ReadColourEvent[] {
	const ordered = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
	const sets: ColourEvent[][] = [];
	for (const e of ordered) {
		const last = sets.at(-1);
		if (last && last[0].from === e.from) last.push(e);
		else sets.push([e]);
	}
	return sets.flatMap((set, i) => {
		const kept = i + 1 < sets.length ? sets[i + 1][0].from : current;
		// of several that reached the kept colour, the last in time is the one that counts
		const winner = set.length === 1 ? set[0] : (set.filter((e) => e.to === kept).at(-1) ?? set.at(-1)!);
		return set.map((e) => ({ ...e, lost: e !== winner }));
	});
}
