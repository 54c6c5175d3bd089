import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgendaItem, castVote, draftProposal, initSession, markPresent, minutesFragment, openVote } from '../../src/lib/domain/session-doc.ts';
import { onlySequenceInserts } from './SessionRulesExtension.ts';

/**
 * The update `change` makes to a copy of `doc`, as a provider sends it (the transaction's own
 * update: its deletions only, unlike a sync step's full delete set).
 */
function updateOf(doc: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const updates: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => updates.push(u));
	copy.transact(() => change(copy));
	expect(updates).toHaveLength(1);
	return updates[0];
}

function meeting(): { doc: Y.Doc; item: string; text: Y.XmlText; proposal: string } {
	const doc = new Y.Doc();
	initSession(doc, { title: 't', communityId: 'c1', place: null, startsAt: '2026-11-23T09:00:00Z', topic: '', chairId: 'c' });
	markPresent(doc, 'c', { name: 'c', role: '' }, 'c');
	const item = addAgendaItem(doc, '议题', 'c');
	const p = new Y.XmlElement('paragraph');
	const text = new Y.XmlText('开头');
	p.insert(0, [text]);
	minutesFragment(doc, item).insert(0, [p]);
	const proposal = draftProposal(doc, { text: '提议', agendaItemId: item }, 'c');
	openVote(doc, proposal, 'c');
	return { doc, item, text, proposal };
}

const textIn = (d: Y.Doc, item: string) => (minutesFragment(d, item).get(0) as Y.XmlElement).get(0) as Y.XmlText;

describe('the fast path of the session rules', () => {
	it('lets typing into the minutes through on decoding alone', () => {
		const { doc, item } = meeting();
		expect(onlySequenceInserts(updateOf(doc, (d) => textIn(d, item).insert(2, '内容')))).toBe(true);
		expect(onlySequenceInserts(updateOf(doc, (d) => textIn(d, item).format(0, 2, { bold: true })))).toBe(true);
		expect(onlySequenceInserts(updateOf(doc, (d) => minutesFragment(d, item).insert(1, [new Y.XmlElement('paragraph')])))).toBe(true);
	});

	it('sends map changes, deletions and new agenda items to the full check', () => {
		const { doc, item, proposal } = meeting();
		expect(onlySequenceInserts(updateOf(doc, (d) => castVote(d, proposal, 'c', 'for')))).toBe(false);
		expect(onlySequenceInserts(updateOf(doc, (d) => textIn(d, item).delete(0, 1)))).toBe(false);
		expect(onlySequenceInserts(updateOf(doc, (d) => d.getMap('meta').set('status', 'closed')))).toBe(false);
		expect(onlySequenceInserts(updateOf(doc, (d) => addAgendaItem(d, '新议题', 'c')))).toBe(false);
	});
});
