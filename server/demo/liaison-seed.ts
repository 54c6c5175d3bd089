/**
 * Demo liaison work in a grid document (issue 4): a roster of liaison members with anchor
 * points inside the grid, households assigned by the suggestion algorithm (a few left open so
 * that suggestions have something to do), past visits matching each household's due date, and
 * micro-wishes in every status. Grid g2 also has the login `demo-liaison` on its roster, so
 * that user's "my households" has work in it. Its own random stream (from the grid id) keeps
 * the household data of the main seed unchanged.
 */
import type * as Y from 'yjs';
import { CADENCE_DAYS } from '../../src/lib/domain/colours.ts';
import { listHouseholds } from '../../src/lib/domain/grid-doc.ts';
import { suggestLiaisons } from '../../src/lib/domain/liaison-suggest.ts';
import { assignLiaison, type LiaisonMember, setAcquainted, setLiaisonMember } from '../../src/lib/domain/liaisons.ts';
import { recordVisit } from '../../src/lib/domain/visits.ts';
import { claimWish, completeWish, dispatchWish, postWish } from '../../src/lib/domain/wishes.ts';
import { GIVEN_NAMES, SURNAMES } from './names.ts';
import { seededId, seededRandom } from './random.ts';

/** The demo liaison login and the grid whose roster it is on. */
export const DEMO_LIAISON = { id: 'u-demo-liaison', displayName: '张建华', gridId: 'g2' };
const DEMO_GRIDWORKER = { id: 'u-demo-gridworker', displayName: '李秀英' };
const DEMO_COMMITTEE = { id: 'u-demo-committee', displayName: '陈国平' };

const MEMBERS_PER_GRID = 4;
const DAY_MS = 24 * 60 * 60 * 1000;
const VISIT_NOTES = ['身体状况良好', '了解近期生活情况', '老人独居，叮嘱注意用电安全', '孩子上学正常', '反映楼道灯不亮', '电话回访，情况稳定', '协助办理医保'];
const WISH_TEXTS = ['更换楼道灯泡', '代购常用药品', '陪同老人去医院复诊', '修理漏水的水龙头', '辅导孩子功课', '帮忙申请残疾人补贴', '清理屋后杂物', '安装扶手'];

export interface LiaisonSeedSpec {
	gridId: string;
	inner: [number, number, number, number];
	today: Date;
	systemUser: string;
}

function hash(text: string): number {
	let h = 2166136261;
	for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
	return h >>> 0;
}

export function seedLiaisonWork(doc: Y.Doc, spec: LiaisonSeedSpec): void {
	const random = seededRandom(hash(`liaison:${spec.gridId}`));
	const [minLng, minLat, maxLng, maxLat] = spec.inner;
	const today = spec.today.getTime();
	const iso = (daysAgo: number, hour = 9) => new Date(today - daysAgo * DAY_MS + hour * 3600_000).toISOString();
	const setupAt = iso(60);
	const point = () => ({
		lng: Math.round((minLng + random.next() * (maxLng - minLng)) * 1e6) / 1e6,
		lat: Math.round((minLat + random.next() * (maxLat - minLat)) * 1e6) / 1e6
	});

	const members: LiaisonMember[] = [];
	if (spec.gridId === DEMO_LIAISON.gridId) members.push({ id: DEMO_LIAISON.id, displayName: DEMO_LIAISON.displayName, ...point() });
	for (let i = 1; i <= MEMBERS_PER_GRID; i++) {
		members.push({ id: `m-${spec.gridId}-${i}`, displayName: random.pick(SURNAMES) + random.pick(GIVEN_NAMES), ...point() });
	}
	for (const m of members) setLiaisonMember(doc, m);

	// assign about 90% of the households, nearest first, one "acquainted" pairing kept
	const households = listHouseholds(doc);
	const cap = Math.floor((households.length * 0.9) / members.length);
	const acquaintedHousehold = households[households.length - 1];
	setAcquainted(doc, acquaintedHousehold.id, members[0].id);
	for (const s of suggestLiaisons(households, members, { cap, acquainted: { [acquaintedHousehold.id]: members[0].id } })) {
		if (s.memberId) assignLiaison(doc, s.householdId, s.memberId, spec.systemUser, setupAt);
	}
	const names = new Map(members.map((m) => [m.id, m.displayName]));

	// about half the assigned households had their last visit recorded in the app: the visit
	// date is the one the household's due date was generated from
	for (const h of listHouseholds(doc)) {
		if (!h.liaisonId || !h.nextVisitDue || !random.chance(0.5)) continue;
		const at = new Date(Date.parse(h.nextVisitDue) - CADENCE_DAYS[h.colour] * DAY_MS).toISOString();
		recordVisit(
			doc,
			h.id,
			{ mode: random.chance(0.7) ? 'inPerson' : 'online', note: random.pick(VISIT_NOTES), by: h.liaisonId, byName: names.get(h.liaisonId) ?? '', at },
			seededId(random, Date.parse(at))
		);
	}

	// wishes in every status
	const mine = listHouseholds(doc).filter((h) => h.liaisonId === members[0].id);
	const texts = [...WISH_TEXTS];
	const wish = (daysAgo: number) => {
		const h = mine[random.int(0, mine.length - 1)];
		const text = texts.splice(random.int(0, texts.length - 1), 1)[0];
		return postWish(doc, h.id, text, { by: DEMO_GRIDWORKER.id, byName: DEMO_GRIDWORKER.displayName, at: iso(daysAgo) }, seededId(random, today - daysAgo * DAY_MS));
	};
	const dispatcher = (daysAgo: number) => ({ by: DEMO_COMMITTEE.id, byName: DEMO_COMMITTEE.displayName, at: iso(daysAgo, 14) });
	const claimer = (m: LiaisonMember, daysAgo: number) => ({ by: m.id, byName: m.displayName, at: iso(daysAgo, 16) });

	wish(2);
	wish(1);
	dispatchWish(doc, wish(5), null, dispatcher(4));
	dispatchWish(doc, wish(4), null, dispatcher(3));
	const claimed = wish(8);
	dispatchWish(doc, claimed, { id: members[0].id, displayName: members[0].displayName }, dispatcher(7));
	claimWish(doc, claimed, claimer(members[0], 6), seededId(random, today - 6 * DAY_MS));
	const done = wish(20);
	dispatchWish(doc, done, null, dispatcher(19));
	claimWish(doc, done, claimer(members[0], 18), seededId(random, today - 18 * DAY_MS));
	completeWish(doc, done, '已完成，住户满意', { by: members[0].id, byName: members[0].displayName, at: iso(15) });
}
