/**
 * A grid shown on a page: the grid opened on this device and a store (the runes bridge) over
 * its document, kept read-only when the server says so, and both closed when the page leaves
 * the grid. Made for a page's `$effect`, which returns the function this returns.
 */
import { openGrid, type OpenGrid } from './grid-session.ts';

export interface GridViewStore {
	readOnly: boolean;
	destroy(): void;
}

/**
 * Opens grid `gridId`, builds its store with `makeStore` and hands it to `show`; the returned
 * function (call it when the page leaves the grid) destroys the store, hands `null` to `show`
 * and closes the grid, or, if the grid is still opening, closes it as soon as it is open.
 */
export function viewGrid<S extends GridViewStore>(
	gridId: string,
	makeStore: (grid: OpenGrid) => S,
	show: (store: S | null) => void
): () => void {
	let cancelled = false;
	let opened: OpenGrid | null = null;
	let store: S | null = null;
	void openGrid(gridId).then((g) => {
		if (cancelled) return g.close();
		opened = g;
		const s = makeStore(g);
		g.onReadOnly((readOnly) => (s.readOnly = readOnly));
		store = s;
		show(s);
	});
	return () => {
		cancelled = true;
		store?.destroy();
		store = null;
		show(null);
		opened?.close();
		opened = null;
	};
}
