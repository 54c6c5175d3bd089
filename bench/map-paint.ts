/**
 * Row 2 of issue 6, second half: time from navigation to the grid map painted with all its
 * households, in Chromium against our real server (build/ + server/main.ts).
 *
 * One grid of N households is pushed to the server through a real provider; a grid worker of
 * that grid is made through the admin API and logs in through the login page. Each run is a
 * fresh browser context (empty IndexedDB): log in, wait for the service worker, then
 * - first open from the server: navigate to /grids/<id>;
 * - reopen from the device: reload, with the grid now in IndexedDB.
 * Each figure is the app's own 'tongxin:map-painted' mark (src/lib/map/painted-mark.ts), whose
 * startTime counts from the navigation start; its detail must say N households and where they
 * came from.
 *
 * Reference, measured in the same run and browser: MapLibre alone (bench/browser/map-paint-page.ts)
 * painting the same N households from a static GeoJSON with the app's style, in a map of the
 * same size: the floor for any app. Medians over runs.
 */
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import * as Y from 'yjs';
import { gridDocName } from '../src/lib/domain/doc-names.ts';
import { listHouseholds } from '../src/lib/domain/grid-doc.ts';
import { toCollection } from '../src/lib/map/features.ts';
import { benchClient, sleep, waitUntil } from './lib/clients.ts';
import { fillGrid } from './lib/households.ts';
import { benchGridIds, startOurs, type RunningServer } from './lib/servers.ts';
import { median, round } from './lib/stats.ts';
import { makeRow, type BenchRow } from './lib/table.ts';

export interface MapPaintOptions {
	households: number;
	runs: number;
}

type Kind = 'server' | 'device' | 'bare';

const ROOT = resolve(import.meta.dirname, '..');
const VIEWPORT = { width: 1280, height: 800 };
const USER = { username: 'bench-gridworker', password: 'bench-password-1', displayName: '基准网格员' };

interface Mark {
	startTime: number;
	detail: { households: number; source?: string };
}

/** Waits for the first mark `name` of the page's current document. */
async function waitForMark(page: Page, name: string): Promise<Mark> {
	const handle = await page.waitForFunction(
		(n) => {
			const m = performance.getEntriesByName(n, 'mark')[0] as PerformanceMark | undefined;
			return m ? { startTime: m.startTime, detail: m.detail } : false;
		},
		name,
		{ timeout: 120_000 }
	);
	return (await handle.jsonValue()) as Mark;
}

/** The bare-MapLibre page, bundled, and the GeoJSON it paints, on a tiny local server. */
async function serveBarePage(collection: unknown): Promise<{ url: string; close: () => void }> {
	const out = mkdtempSync(join(tmpdir(), 'tongxin-map-paint-'));
	try {
		await build({
			configFile: false,
			logLevel: 'warn',
			resolve: { alias: { $lib: resolve(ROOT, 'src/lib') } },
			build: {
				outDir: out,
				emptyOutDir: true,
				minify: true,
				lib: { entry: resolve(import.meta.dirname, 'browser/map-paint-page.ts'), formats: ['iife'], name: 'MapPaint', fileName: () => 'map-paint.js' }
			}
		});
		const files = new Map(readdirSync(out).map((f) => [`/${f}`, readFileSync(join(out, f))]));
		const css = [...files.keys()].filter((f) => f.endsWith('.css'));
		const geojson = JSON.stringify(collection);
		const http = createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			const file = files.get(url.pathname);
			if (url.pathname === '/households.geojson') {
				res.writeHead(200, { 'content-type': 'application/geo+json', 'cache-control': 'no-store' });
				res.end(geojson);
			} else if (file) {
				// like the app's hashed assets: code is cached, data is not
				res.writeHead(200, { 'content-type': url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript', 'cache-control': 'max-age=31536000, immutable' });
				res.end(file);
			} else {
				const w = Number(url.searchParams.get('w')) || VIEWPORT.width;
				const h = Number(url.searchParams.get('h')) || VIEWPORT.height;
				res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
				res.end(
					`<!doctype html><meta charset="utf-8">${css.map((c) => `<link rel="stylesheet" href="${c}">`).join('')}` +
						`<style>body{margin:0}</style><div id="map" style="width:${w}px;height:${h}px"></div><script src="/map-paint.js"></script>`
				);
			}
		});
		await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
		const address = http.address();
		return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, close: () => http.close() };
	} finally {
		rmSync(out, { recursive: true, force: true });
	}
}

/** Pushes the grid to the server through a real provider and checks a second client gets all of it. */
async function fillOnServer(server: RunningServer, gridId: string, households: number): Promise<void> {
	const doc = new Y.Doc();
	fillGrid(doc, households);
	const writer = benchClient(server, gridDocName(gridId), doc);
	try {
		await writer.synced;
		await waitUntil(() => writer.acknowledged(), 60_000, 'grid acknowledged by the server');
		const check = benchClient(server, gridDocName(gridId));
		await check.synced;
		await waitUntil(() => listHouseholds(check.doc).length === households, 60_000, 'grid complete on the server');
		check.destroy();
	} finally {
		writer.destroy();
	}
}

async function createGridWorker(server: RunningServer, gridId: string): Promise<void> {
	const res = await fetch(`${server.httpUrl}/api/admin/users`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
		body: JSON.stringify({ ...USER, membership: { role: 'gridWorker', level: 'grid', placeId: gridId } })
	});
	if (res.status !== 201) throw new Error(`creating the bench grid worker: ${res.status} ${await res.text()}`);
}

/** A fresh context (empty IndexedDB) logged in through the login page, its service worker in control. */
async function loggedInPage(browser: Browser, server: RunningServer): Promise<Page> {
	const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error('pageerror:', e.message));
	await page.goto(`${server.httpUrl}/login`);
	await page.fill('input[name=username]', USER.username);
	await page.fill('input[name=password]', USER.password);
	await page.click('button[type=submit]');
	await page.waitForURL('**/grids');
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	return page;
}

export async function benchMapPaint(options: MapPaintOptions, progress: (line: string) => void): Promise<{ rows: BenchRow[]; runs: Record<Kind, number[]>; notes: string[] }> {
	const doc = new Y.Doc();
	fillGrid(doc, options.households);
	const bare = await serveBarePage(toCollection(listHouseholds(doc)));
	const server = await startOurs({ grids: 1 });
	const [gridId] = benchGridIds(1);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	const runs: Record<Kind, number[]> = { server: [], device: [], bare: [] };
	const notes: string[] = [];
	try {
		await fillOnServer(server, gridId, options.households);
		await createGridWorker(server, gridId);
		const check = (kind: Kind, mark: Mark) => {
			if (mark.detail.households !== options.households) throw new Error(`${kind}: the map painted ${mark.detail.households} households, not ${options.households}`);
			if (kind !== 'bare' && mark.detail.source !== kind) notes.push(`a ${kind} run's mark said source=${mark.detail.source}`);
			runs[kind].push(round(mark.startTime, 1));
			progress(`  ${kind.padEnd(6)} navigation → map painted ${round(mark.startTime, 1)} ms (${mark.detail.households} households${mark.detail.source ? `, from the ${mark.detail.source}` : ''})`);
		};

		let mapSize = VIEWPORT;
		const barePage = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
		const runBare = async () => {
			await barePage.goto(`${bare.url}?w=${mapSize.width}&h=${mapSize.height}`);
			check('bare', await waitForMark(barePage, 'bare:map-painted'));
		};
		// one load first, so the bare page's code is cached as the app's is by its service worker
		await barePage.goto(bare.url);
		await waitForMark(barePage, 'bare:map-painted');

		for (let i = 0; i < options.runs; i++) {
			progress(`  run ${i + 1}/${options.runs}`);
			if (i % 2 === 1) await runBare();
			const page = await loggedInPage(browser, server);
			await page.goto(`${server.httpUrl}/grids/${gridId}`);
			check('server', await waitForMark(page, 'tongxin:map-painted'));
			if (i === 0) {
				const box = await page.locator('[data-testid=grid-map]').boundingBox();
				if (box) mapSize = { width: Math.round(box.width), height: Math.round(box.height) };
			}
			// let y-dexie finish writing the grid to IndexedDB and the connection settle
			await page.waitForSelector('[data-testid=sync-status][data-network=online][data-unsynced="0"]');
			await sleep(2000);
			await page.reload();
			check('device', await waitForMark(page, 'tongxin:map-painted'));
			await page.context().close();
			if (i % 2 === 0) await runBare();
		}
		await barePage.context().close();
	} finally {
		await browser.close();
		bare.close();
		await server.stop();
	}
	const n = options.households.toLocaleString('en');
	const label = `2. navigation → map painted, ${n} households`;
	const floor = round(median(runs.bare));
	return {
		rows: [
			makeRow(`${label}, first open from the server: ours vs bare MapLibre`, 'ms', round(median(runs.server)), floor),
			makeRow(`2. … reopen from the device (IndexedDB): ours vs bare MapLibre`, 'ms', round(median(runs.device)), floor, notes.length ? notes.join('; ') : undefined)
		],
		runs,
		notes
	};
}
