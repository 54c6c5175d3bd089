/**
 * Demo data for a new database (DEMO≠0): the jurisdiction tree 枫桥街道 → 2 communities →
 * 6 grids, about 600 generated households, and one account per role. Deterministic: the
 * same seed gives the same data on every machine. Each grid's Y.Doc is built with the domain
 * mutations and stored as the first update of `grid:<id>` by user 'system', plus a snapshot.
 * Liaison rosters, assignments, visits and wishes come from liaison-seed.ts.
 */
import * as Y from 'yjs';
import { type Colour, nextVisitDue } from '../../src/lib/domain/colours.ts';
import { gridDocName } from '../../src/lib/domain/doc-names.ts';
import { addHousehold, type HouseholdTag, setGridMeta } from '../../src/lib/domain/grid-doc.ts';
import type { Membership } from '../../src/lib/domain/roles.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import type { AsyncStore } from '../../src/lib/server/async-store.ts';
import { gridArea } from './geometry.ts';
import { seedLiaisonWork } from './liaison-seed.ts';
import { ESTATES, GIVEN_NAMES, PHONE_PREFIXES, SURNAMES } from './names.ts';
import { type Random, seededId, seededRandom } from './random.ts';

export const DEMO_PASSWORD = 'tongxin-demo';
export const SYSTEM_USER = 'system';

export interface DemoUser {
	username: string;
	displayName: string;
	membership: Membership;
}

export const DEMO_USERS: readonly DemoUser[] = [
	{ username: 'demo-admin', displayName: '周敏（街道管理员）', membership: { role: 'admin', level: 'street', placeId: 'st1' } },
	{ username: 'demo-committee', displayName: '陈国平（村委委员）', membership: { role: 'committee', level: 'community', placeId: 'c1' } },
	{ username: 'demo-gridworker', displayName: '李秀英（网格员）', membership: { role: 'gridWorker', level: 'grid', placeId: 'g1' } },
	{ username: 'demo-liaison', displayName: '张建华（联户党员）', membership: { role: 'liaison', level: 'grid', placeId: 'g2' } },
	{ username: 'demo-police', displayName: '赵志强（警务副书记）', membership: { role: 'policeDeputy', level: 'community', placeId: 'c1' } },
	{ username: 'demo-mediator', displayName: '吴桂兰（调解员）', membership: { role: 'mediator', level: 'community', placeId: 'c1' } }
];

const COMMUNITIES = [
	{ id: 'c1', name: '枫源村', grids: ['枫源村一组', '枫源村二组', '枫源村三组'] },
	{ id: 'c2', name: '新枫社区', grids: ['新枫社区枫林苑', '新枫社区桥东小区', '新枫社区老街'] }
];

const COLOUR_WEIGHTS: Record<Colour, number> = { red: 5, orange: 15, yellow: 25, green: 55 };
const SIZE_WEIGHTS = { '1': 12, '2': 28, '3': 25, '4': 18, '5': 10, '6': 7 };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SeedOptions {
	seed?: number;
	householdsPerGrid?: number;
	/** The day the data is generated for (visit dates are relative to it). */
	today?: Date;
}

export async function seedDemo(store: AsyncStore, options: SeedOptions = {}): Promise<{ households: number }> {
	const random = seededRandom(options.seed ?? 20261123);
	const perGrid = options.householdsPerGrid ?? 100;
	const today = new Date(options.today ?? new Date());
	today.setUTCHours(0, 0, 0, 0);
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	let households = 0;

	await store.transaction(async (tx) => {
		await tx.upsertPlace({ id: 'st1', level: 'street', parentId: null, name: '枫桥街道' });
		for (const [row, community] of COMMUNITIES.entries()) {
			await tx.upsertPlace({ id: community.id, level: 'community', parentId: 'st1', name: community.name });
			for (const [col, gridName] of community.grids.entries()) {
				const gridId = `g${row * 3 + col + 1}`;
				await tx.upsertPlace({ id: gridId, level: 'grid', parentId: community.id, name: gridName });
				const doc = buildGridDoc(random, { gridId, gridName, communityId: community.id, row, col, perGrid, today });
				households += perGrid;
				const name = gridDocName(gridId);
				const state = Y.encodeStateAsUpdate(doc);
				const seq = await tx.appendUpdate(name, SYSTEM_USER, state, today.getTime());
				await tx.writeSnapshot(name, seq, state);
				doc.destroy();
			}
		}
		for (const u of DEMO_USERS) {
			const id = `u-${u.username}`;
			await tx.createUser({ id, username: u.username, displayName: u.displayName, passwordHash });
			await tx.addMembership(id, u.membership);
		}
	});
	return { households };
}

interface GridSpec {
	gridId: string;
	gridName: string;
	communityId: string;
	row: number;
	col: number;
	perGrid: number;
	today: Date;
}

function buildGridDoc(random: Random, g: GridSpec): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = 1000 + g.row * 3 + g.col; // deterministic bytes for the same seed
	const area = gridArea(random, g.row, g.col);
	const at = new Date(g.today.getTime() - 180 * DAY_MS).toISOString();
	setGridMeta(doc, { name: g.gridName, communityId: g.communityId, boundary: area.boundary }, at);
	const [minLng, minLat, maxLng, maxLat] = area.inner;
	for (let i = 0; i < g.perGrid; i++) {
		const colour = random.weighted(COLOUR_WEIGHTS);
		const lastVisit = g.today.getTime() - random.int(0, 120) * DAY_MS;
		const id = seededId(random, Date.parse(at) + i * 1000);
		addHousehold(
			doc,
			{
				address: address(g, i),
				lng: round6(minLng + random.next() * (maxLng - minLng)),
				lat: round6(minLat + random.next() * (maxLat - minLat)),
				head: random.pick(SURNAMES) + random.pick(GIVEN_NAMES),
				size: Number(random.weighted(SIZE_WEIGHTS)),
				phone: random.pick(PHONE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0'),
				tags: tags(random, g.communityId),
				colour,
				liaisonId: null,
				nextVisitDue: nextVisitDue(colour, new Date(lastVisit).toISOString())
			},
			SYSTEM_USER,
			at,
			id
		);
	}
	seedLiaisonWork(doc, { gridId: g.gridId, inner: area.inner, today: g.today, systemUser: SYSTEM_USER });
	return doc;
}

/** Village grids are groups (组) with house numbers; urban grids are estates with flats. */
function address(g: GridSpec, i: number): string {
	if (g.communityId === 'c1') return `枫源村${g.col + 1}组 ${i + 1}号`;
	const building = Math.floor(i / 12) + 1;
	const unit = (Math.floor(i / 6) % 2) + 1;
	const flat = `${Math.floor((i % 6) / 2) + 1}0${(i % 2) + 1}`;
	return `新枫社区${ESTATES[g.col]}${building}幢${unit}单元${flat}室`;
}

function tags(random: Random, communityId: string): HouseholdTag[] {
	const out: HouseholdTag[] = [];
	if (random.chance(0.28)) out.push('elderly');
	if (random.chance(0.2)) out.push('child');
	if (random.chance(0.04)) out.push('disabled');
	if (random.chance(communityId === 'c2' ? 0.18 : 0.05)) out.push('tenant');
	if (random.chance(0.08)) out.push('partyMember');
	return out;
}

function round6(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}
