/**
 * The deliberation session document (issue 5) for the convergence fuzzer: random steps of a
 * meeting through the named mutations of src/lib/domain/session-doc.ts — attendance, agenda
 * added and reordered, minutes typed into the shared fragments, proposals drafted, opened,
 * voted on and closed, resolutions, action items, closing and sign-off. Many steps are refused
 * by the rules on the replica where they are tried (not the chair, not present, vote not open,
 * already frozen…); a refusal must leave the document untouched. Client `u0` chairs.
 *
 * Invariants after every step and at the end: every vote and sign-off is from a present
 * participant, a closed vote's recorded result follows from its tally, agenda ids are unique.
 */
import * as Y from 'yjs';
import { DomainError } from '../../src/lib/domain/grid-doc.ts';
import {
	addActionItem,
	addAgendaItem,
	addResolution,
	castVote,
	closeSession,
	closeVote,
	draftProposal,
	freezeState,
	initSession,
	listActionItems,
	listAgenda,
	listAttendance,
	listProposals,
	listResolutions,
	listSignOffs,
	markPresent,
	minutesFragment,
	moveAgendaItem,
	openVote,
	readSession,
	readSessionMeta,
	resultOf,
	sessionHash,
	setActionItemStatus,
	setAgendaDiscussed,
	signOff,
	startSession,
	VOTE_CHOICES
} from '../../src/lib/domain/session-doc.ts';
import type { FuzzDocKind, OpOutcome } from './doc-kind.ts';
import type { Rng } from './rng.ts';

const CHAIR = 'u0';
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const T0 = Date.parse('2026-11-23T01:00:00.000Z');
const timestamp = (rng: Rng) => new Date(T0 + rng.int(0, 7200) * 1000).toISOString();
const newId = (rng: Rng) => Array.from({ length: 26 }, () => BASE32[rng.int(0, 31)]).join('');

/** Runs a step the rules may refuse on this replica; a refusal must not change the document. */
function step(doc: Y.Doc, what: string, mutate: () => void): OpOutcome {
	const before = Y.encodeStateVector(doc);
	try {
		mutate();
		return 'applied';
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const after = Y.encodeStateVector(doc);
		if (before.length !== after.length || before.some((v, i) => v !== after[i])) throw new Error(`${what}: refused but the document changed`);
		return 'refused';
	}
}

const agendaIds = (doc: Y.Doc) => listAgenda(doc).map((i) => i.id);

/** Types a few characters at a random place of an agenda item's minutes (as y-prosemirror would). */
function typeMinutes(doc: Y.Doc, rng: Rng, itemId: string): void {
	const fragment = minutesFragment(doc, itemId);
	doc.transact(() => {
		if (fragment.length === 0 || rng.chance(0.1)) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText('')]);
			fragment.insert(rng.int(0, fragment.length), [p]);
		}
		const paragraph = fragment.get(rng.int(0, fragment.length - 1));
		if (!(paragraph instanceof Y.XmlElement)) return;
		let text = paragraph.get(0);
		if (!(text instanceof Y.XmlText)) {
			text = new Y.XmlText('');
			paragraph.insert(0, [text]);
		}
		const t = text as Y.XmlText;
		if (t.length > 0 && rng.chance(0.2)) t.delete(rng.int(0, t.length - 1), 1);
		else t.insert(rng.int(0, t.length), rng.text(1, 4, '同意反对议题纪要费用分摊楼层电梯施工安全'));
	});
}

export const sessionKind: FuzzDocKind = {
	name: 'session',
	roots: {
		meta: 'map',
		agenda: 'array',
		attendance: 'map',
		proposals: 'map',
		resolutions: 'map',
		actionItems: 'map',
		signOffs: 'map'
	},
	ops: {
		initOrStart: {
			weight: 1,
			run(doc, rng, actor) {
				if (readSessionMeta(doc).chairId === '') {
					initSession(doc, {
						title: '加装电梯议事会',
						communityId: 'c1',
						place: { lng: 120.24, lat: 29.71, label: '3 号楼前' },
						startsAt: '2026-11-23T01:00:00.000Z',
						topic: '费用分摊',
						chairId: CHAIR
					});
					return 'applied';
				}
				return step(doc, 'startSession', () => startSession(doc, actor));
			}
		},
		markPresent: {
			weight: 3,
			run(doc, rng, actor) {
				const who = rng.chance(0.2) ? `u${rng.int(0, 5)}` : actor;
				return step(doc, 'markPresent', () => markPresent(doc, who, { name: `参会人${who}`, role: 'resident' }, actor, timestamp(rng)));
			}
		},
		addAgendaItem: {
			weight: 2,
			run(doc, rng, actor) {
				return step(doc, 'addAgendaItem', () => addAgendaItem(doc, rng.text(2, 6, '停车位电梯绿化垃圾分类费用'), actor, timestamp(rng), newId(rng)));
			}
		},
		moveAgendaItem: {
			weight: 2,
			run(doc, rng) {
				const ids = agendaIds(doc);
				if (ids.length === 0) return step(doc, 'moveAgendaItem(unknown)', () => moveAgendaItem(doc, 'nothing', 0));
				return step(doc, 'moveAgendaItem', () => moveAgendaItem(doc, rng.pick(ids), rng.int(0, ids.length)));
			}
		},
		setDiscussed: {
			weight: 1,
			run(doc, rng) {
				const ids = agendaIds(doc);
				if (ids.length === 0) return 'refused';
				return step(doc, 'setAgendaDiscussed', () => setAgendaDiscussed(doc, rng.pick(ids), rng.chance(0.7)));
			}
		},
		typeMinutes: {
			weight: 8,
			run(doc, rng) {
				const ids = agendaIds(doc);
				// raw typing is not a domain mutation: only while the session is open for edits
				if (ids.length === 0 || freezeState(doc) !== 'open') return 'refused';
				typeMinutes(doc, rng, rng.pick(ids));
				return 'applied';
			}
		},
		draftProposal: {
			weight: 2,
			run(doc, rng, actor) {
				const ids = agendaIds(doc);
				if (ids.length === 0) return step(doc, 'draftProposal(no item)', () => draftProposal(doc, { text: '提议', agendaItemId: 'none' }, actor));
				return step(doc, 'draftProposal', () =>
					draftProposal(doc, { text: `提议${rng.text(2, 6)}`, agendaItemId: rng.pick(ids) }, actor, timestamp(rng), newId(rng))
				);
			}
		},
		openOrCloseVote: {
			weight: 2,
			run(doc, rng, actor) {
				const proposals = listProposals(doc);
				if (proposals.length === 0) return 'refused';
				const p = rng.pick(proposals);
				return step(doc, 'open/closeVote', () => (p.status === 'draft' ? openVote(doc, p.id, actor) : closeVote(doc, p.id, actor)));
			}
		},
		castVote: {
			weight: 5,
			run(doc, rng, actor) {
				const proposals = listProposals(doc);
				if (proposals.length === 0) return 'refused';
				return step(doc, 'castVote', () => castVote(doc, rng.pick(proposals).id, actor, rng.pick(VOTE_CHOICES), timestamp(rng)));
			}
		},
		addResolution: {
			weight: 1,
			run(doc, rng, actor) {
				const ids = agendaIds(doc);
				if (ids.length === 0) return 'refused';
				return step(doc, 'addResolution', () => addResolution(doc, { text: `决议${rng.text(2, 6)}`, agendaItemId: rng.pick(ids) }, actor, timestamp(rng), newId(rng)));
			}
		},
		actionItem: {
			weight: 2,
			run(doc, rng, actor) {
				const items = listActionItems(doc);
				if (items.length > 0 && rng.chance(0.4)) {
					return step(doc, 'setActionItemStatus', () => setActionItemStatus(doc, rng.pick(items).id, rng.pick(['open', 'done'] as const)));
				}
				const resolutions = listResolutions(doc);
				if (resolutions.length === 0) return 'refused';
				const due = rng.chance(0.1) ? '下周' : `2026-12-${String(rng.int(1, 28)).padStart(2, '0')}`;
				return step(doc, 'addActionItem', () =>
					addActionItem(doc, { resolutionId: rng.pick(resolutions).id, text: `任务${rng.text(2, 4)}`, owner: actor, due }, newId(rng))
				);
			}
		},
		closeOrSignOff: {
			weight: 1,
			run(doc, rng, actor) {
				if (readSessionMeta(doc).status === 'closed' || rng.chance(0.6)) return step(doc, 'signOff', () => signOff(doc, actor, timestamp(rng)));
				return step(doc, 'closeSession', () => closeSession(doc, actor, rng.chance(0.2) ? '部分参会人提前离场' : undefined));
			}
		}
	},
	read(doc) {
		return { ...readSession(doc), freeze: freezeState(doc), hash: sessionHash(doc) };
	},
	checkInvariants(doc) {
		const present = new Set(listAttendance(doc).map((a) => a.userId));
		for (const p of listProposals(doc)) {
			for (const v of p.votes) if (!present.has(v.userId)) throw new Error(`proposal ${p.id}: vote from ${v.userId}, who is not present`);
			if (p.status === 'closed' && p.result !== resultOf(p.tally)) throw new Error(`proposal ${p.id}: result ${p.result} does not follow from its tally`);
		}
		for (const s of listSignOffs(doc)) if (!present.has(s.userId)) throw new Error(`sign-off from ${s.userId}, who is not present`);
		const ids = agendaIds(doc);
		if (new Set(ids).size !== ids.length) throw new Error('an agenda item appears twice');
	}
};
