/** The one table `npm run bench` prints: row, ours, reference, ratio (ours / reference). */

export interface BenchRow {
	row: string;
	ours: number | null;
	reference: number | null;
	unit: string;
	/** Lower is better for every figure here; the ratio is ours / reference. */
	ratio: number | null;
	note?: string;
}

export function makeRow(row: string, unit: string, ours: number | null, reference: number | null, note?: string): BenchRow {
	const ratio = ours !== null && reference !== null && Number.isFinite(ours) && Number.isFinite(reference) && reference !== 0 ? Number((ours / reference).toFixed(2)) : null;
	return { row, unit, ours, reference, ratio, ...(note ? { note } : {}) };
}

export function formatTable(rows: readonly BenchRow[]): string {
	const cells = [
		['row', 'ours', 'reference', 'ratio'],
		...rows.map((r) => [
			`${r.row} (${r.unit})`,
			r.ours === null || !Number.isFinite(r.ours) ? '—' : String(r.ours),
			r.reference === null || !Number.isFinite(r.reference) ? '—' : String(r.reference),
			r.ratio === null ? '—' : `${r.ratio}×`
		])
	];
	const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
	const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
	const out = [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
	const notes = rows.filter((r) => r.note).map((r) => `  ${r.row}: ${r.note}`);
	return [...out, ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
