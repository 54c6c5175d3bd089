/**
 * Grids whose edits from this device the server refused as against the grid rules
 * (server/collab/RulesExtension.ts closes the document with reason `grid-rule`). The rules'
 * violations are developer strings and never reach the device: the header names the grid and
 * says in plain words what happened and what can be done (grid-session.ts stops re-sending the
 * refused update; the edits stay on the device until the user chooses to discard them).
 */
export interface GridRefusal {
	gridId: string;
	/** The grid's name as this device knows it ('' before its first sync). */
	name: string;
}

class GridRefusals {
	list = $state<GridRefusal[]>([]);

	add(refusal: GridRefusal): void {
		if (this.list.some((r) => r.gridId === refusal.gridId)) return;
		this.list = [...this.list, refusal];
	}

	clear(gridId: string): void {
		this.list = this.list.filter((r) => r.gridId !== gridId);
	}

	clearAll(): void {
		this.list = [];
	}
}

export const gridRefusals = new GridRefusals();
