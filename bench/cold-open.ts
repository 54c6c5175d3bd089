/**
 * Row 2 of issue 6: cold open on the device. One grid of 5,000 households (plus 1,000 later
 * edits, stored as separate updates as a working tablet would have them) is stored in
 * Chromium's IndexedDB through y-dexie (ours) and through y-indexeddb (the reference); after a
 * page reload each is loaded into a fresh Y.Doc and read with the domain's listHouseholds.
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium, through playwright-core. Medians over runs.
 * (Navigation-to-map-painted is not measured here.)
 */
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface ColdOpenOptions {
	households: number;
	edits: number;
	runs: number;
}

type Kind = 'y-dexie' | 'y-indexeddb';

export async function benchColdOpen(options: ColdOpenOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<Kind, number[]> }> {
	const out = mkdtempSync(join(tmpdir(), 'tongxin-cold-open-'));
	await build({
		configFile: false,
		logLevel: 'warn',
		build: {
			outDir: out,
			emptyOutDir: true,
			minify: true,
			lib: { entry: resolve(import.meta.dirname, 'browser/cold-open-page.ts'), formats: ['iife'], name: 'ColdOpen', fileName: () => 'cold-open.js' }
		}
	});
	const bundle = readFileSync(join(out, 'cold-open.js'));
	const http = createServer((req, res) => {
		if (req.url === '/cold-open.js') {
			res.writeHead(200, { 'content-type': 'text/javascript' });
			res.end(bundle);
		} else {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<!doctype html><meta charset="utf-8"><script src="/cold-open.js"></script>');
		}
	});
	await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
	const address = http.address();
	const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
	const profile = mkdtempSync(join(tmpdir(), 'tongxin-cold-open-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	const runs: Record<Kind, number[]> = { 'y-dexie': [], 'y-indexeddb': [] };
	try {
		const page = await context.newPage();
		await page.goto(url);
		const markers: Record<Kind, string> = { 'y-dexie': '', 'y-indexeddb': '' };
		// seed resolves once every write of the library has committed and the stored copy has been
		// read back with all households and the last edit (it throws otherwise), so the reloads
		// below cannot cut a write short.
		for (const kind of ['y-dexie', 'y-indexeddb'] as Kind[]) {
			const seeded = await page.evaluate(
				([k, h, e]) =>
					(window as unknown as { coldOpen: { seed(k: string, h: number, e: number): Promise<{ marker: string; stored: Record<string, number> }> } }).coldOpen.seed(k, h, e),
				[kind, options.households, options.edits] as const
			);
			markers[kind] = seeded.marker;
			progress(`  seeded ${kind.padEnd(11)} stored records ${JSON.stringify(seeded.stored)}, read back with the last edit`);
		}
		for (let i = 0; i < options.runs; i++) {
			for (const kind of (i % 2 === 0 ? ['y-indexeddb', 'y-dexie'] : ['y-dexie', 'y-indexeddb']) as Kind[]) {
				await page.reload();
				const r = await page.evaluate(
					([k, marker]) => {
						(window as unknown as { expectedMarker: string }).expectedMarker = marker;
						return (window as unknown as { coldOpen: { open(k: string): Promise<{ ms: number; households: number; marker: string }> } }).coldOpen.open(k);
					},
					[kind, markers[kind]] as const
				);
				if (r.households !== options.households || r.marker !== markers[kind])
					throw new Error(`${kind} opened ${r.households} households, last edit ${r.marker} (expected ${options.households}, ${markers[kind]})`);
				runs[kind].push(round(r.ms, 1));
				progress(`  run ${i + 1}/${options.runs} ${kind.padEnd(11)} cold open ${round(r.ms, 1)} ms (${r.households} households, last edit present)`);
			}
		}
	} finally {
		await context.close();
		http.close();
		rmSync(out, { recursive: true, force: true });
		rmSync(profile, { recursive: true, force: true });
	}
	const label = `2. cold open from IndexedDB in Chromium, ${options.households} households + ${options.edits} edits`;
	return {
		rows: [makeRow(`${label}: y-dexie (ours) vs y-indexeddb`, 'ms', round(median(runs['y-dexie'])), round(median(runs['y-indexeddb'])))],
		runs
	};
}
