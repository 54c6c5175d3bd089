/**
 * `node bench/rules-cost.ts` — what judging an update costs the server (RulesExtension), per
 * update, against the reference of applying the same update to a document without judging it
 * (what the server does anyway), measured in the same run; and what a fresh scratch copy per
 * update would have cost instead of the kept shadow. Grids of 100, 1,000 and 5,000 households
 * with a visit each; household edits (a field, a colour change with its event) and a visit.
 * Sessions: typing into the minutes (the fast path) and a vote.
 *
 * The judgement here is the extension's own steps on the domain modules: apply to the shadow
 * while capturing the change (doc-change.ts), then the kind's rules (rules.ts).
 */
import * as Y from 'yjs';
import { captureChange } from '../src/lib/domain/doc-change.ts';
import { addHousehold, changeColour, updateHousehold } from '../src/lib/domain/grid-doc.ts';
import { gridRules } from '../src/lib/domain/grid-rules.ts';
import type { DocRules } from '../src/lib/domain/rules.ts';
import { addAgendaItem, castVote, draftProposal, initSession, markPresent, minutesFragment, openVote } from '../src/lib/domain/session-doc.ts';
import { sessionRules } from '../src/lib/domain/session-rules.ts';
import { recordVisit } from '../src/lib/domain/visits.ts';
import { median, round } from './lib/stats.ts';

const USER = 'u-bench';

/** Median ms per update of `judge` and of the plain apply, over `updates` made on a copy of `live`. */
function measure(live: Y.Doc, rules: DocRules, updates: Uint8Array[], roles: string[]): { judged: number; plain: number } {
	const shadow = new Y.Doc();
	Y.applyUpdate(shadow, Y.encodeStateAsUpdate(live));
	const plainDoc = new Y.Doc();
	Y.applyUpdate(plainDoc, Y.encodeStateAsUpdate(live));
	const judged: number[] = [];
	const plain: number[] = [];
	for (const u of updates) {
		let t = performance.now();
		const change = captureChange(shadow, () => Y.applyUpdate(shadow, u));
		const verdict = rules.judge(live, shadow, change, { userId: USER, roles: roles as never, now: new Date().toISOString() });
		judged.push(performance.now() - t);
		if (verdict.violations.length > 0) throw new Error(`bench update refused: ${verdict.violations[0]}`);
		Y.applyUpdate(live, u); // the live document applies the accepted update
		t = performance.now();
		Y.applyUpdate(plainDoc, u);
		plain.push(performance.now() - t);
	}
	return { judged: median(judged), plain: median(plain) };
}

function updatesOf(doc: Y.Doc, n: number, edit: (d: Y.Doc, i: number) => void): Uint8Array[] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const out: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => out.push(u));
	for (let i = 0; i < n; i++) edit(copy, i);
	return out;
}

function cloneMs(doc: Y.Doc): number {
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const t = performance.now();
		const c = new Y.Doc();
		Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
		times.push(performance.now() - t);
		c.destroy();
	}
	return median(times);
}

const rows: string[] = [];
const row = (what: string, m: { judged: number; plain: number }, clone?: number) =>
	rows.push(
		`${what.padEnd(52)} judged ${round(m.judged, 3)} ms  plain apply ${round(m.plain, 3)} ms  ratio ${round(m.judged / m.plain, 1)}x` +
			(clone === undefined ? '' : `  (a scratch copy per update: ${round(clone, 1)} ms)`)
	);

for (const n of [100, 1000, 5000]) {
	const live = new Y.Doc();
	const ids: string[] = [];
	for (let i = 0; i < n; i++)
		ids.push(addHousehold(live, { address: `基准路${i}号`, lng: 120.24, lat: 29.71, head: `户主${i}`, size: 3, phone: '', tags: [], colour: 'green' }, USER));
	for (const id of ids) recordVisit(live, id, { mode: 'inPerson', note: '走访', by: USER, at: new Date().toISOString() });
	const clone = cloneMs(live);
	row(`grid ${n} households: field edit`, measure(live, gridRules, updatesOf(live, 200, (d, i) => updateHousehold(d, ids[i % n], { head: `改${i}` })), ['gridWorker']), clone);
	row(`grid ${n} households: colour change + event`, measure(live, gridRules, updatesOf(live, 200, (d, i) => changeColour(d, ids[i % n], i % 2 ? 'red' : 'yellow', '走访发现', USER)), ['gridWorker']));
	row(`grid ${n} households: visit`, measure(live, gridRules, updatesOf(live, 200, (d, i) => recordVisit(d, ids[i % n], { mode: 'online', note: '电话', by: USER })), ['gridWorker']));
}

const session = new Y.Doc();
initSession(session, { title: '议事会', communityId: 'c1', place: null, startsAt: new Date().toISOString(), topic: '', chairId: USER });
markPresent(session, USER, { name: '主持人', role: 'committee' }, USER);
const item = addAgendaItem(session, '议题', USER);
const text = new Y.XmlText('');
const p = new Y.XmlElement('paragraph');
p.insert(0, [text]);
minutesFragment(session, item).insert(0, [p]);
for (let i = 0; i < 30; i++) openVote(session, draftProposal(session, { text: `提议${i}`, agendaItemId: item }, USER), USER);
row(
	'session: typing in the minutes (fast path)',
	measure(session, sessionRules, updatesOf(session, 500, (d, i) => ((minutesFragment(d, item).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(i, '字')), [])
);
const proposals = [...session.getMap('proposals').keys()];
row('session: a vote (30 proposals)', measure(session, sessionRules, updatesOf(session, 30, (d, i) => castVote(d, proposals[i], USER, 'for')), []));

console.log(rows.join('\n'));
