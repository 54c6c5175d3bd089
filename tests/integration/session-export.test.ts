/**
 * The minutes PDF (会议纪要) from the server's stored session: Chinese text is real text in it
 * (read back through the font's ToUnicode map), with agenda, minutes, attendance, votes,
 * resolutions, action items, sign-offs and the frozen hash. Access as for the session.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addActionItem,
	addAgendaItem,
	addResolution,
	castVote,
	closeSession,
	closeVote,
	draftProposal,
	markPresent,
	minutesFragment,
	openVote,
	readSessionMeta,
	signOff,
	startSession
} from '../../src/lib/domain/session-doc.ts';
import { useServerAndClients, waitAcknowledged, waitFor } from '../helpers/collab.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { createSessionApi } from '../helpers/sessions.ts';

const f = useServerAndClients();

const CHAIR = 'u-demo-committee';
const RESOLUTION = '同意按楼层分摊加装电梯费用';

const pdfUrl = (id: string, communityId = 'c1') => `${f.server.url}/api/communities/${communityId}/sessions/${id}/minutes.pdf`;

describe('GET …/sessions/:id/minutes.pdf', () => {
	it('has the whole record in Chinese text, and the frozen hash', async () => {
		const token = await f.server.login('demo-committee');
		const { id } = await createSessionApi(f.server, token, { title: '加装电梯议事会' });
		const c = f.open(`session:${id}`, token);
		await waitAcknowledged(c);
		const doc = c.doc;
		startSession(doc, CHAIR);
		markPresent(doc, CHAIR, { name: '陈国平', role: 'committee' }, CHAIR);
		const item = addAgendaItem(doc, '费用分摊', CHAIR);
		const paragraph = new Y.XmlElement('paragraph');
		paragraph.insert(0, [new Y.XmlText('居民代表同意方案')]);
		minutesFragment(doc, item).insert(0, [paragraph]);
		const p = draftProposal(doc, { text: '按楼层分摊', agendaItemId: item }, CHAIR);
		openVote(doc, p, CHAIR);
		castVote(doc, p, CHAIR, 'for');
		closeVote(doc, p, CHAIR);
		const r = addResolution(doc, { text: RESOLUTION, agendaItemId: item, proposalId: p }, CHAIR);
		addActionItem(doc, { resolutionId: r, text: '联系施工单位', owner: CHAIR, due: '2026-12-15' });
		closeSession(doc, CHAIR);
		signOff(doc, CHAIR);
		await waitFor(() => readSessionMeta(doc).frozenHash !== null, 'the freeze');
		const hash = readSessionMeta(doc).frozenHash!;

		const res = await fetch(pdfUrl(id), { headers: { authorization: `Bearer ${await f.server.login('demo-police')}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-disposition')).toContain('attachment');
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
		const text = pdfText(bytes);
		for (const expected of ['会议纪要', '加装电梯议事会', '费用分摊', '居民代表同意方案', '陈国平', '按楼层分摊', '赞成 1 · 反对 0 · 弃权 0', '通过', RESOLUTION, '联系施工单位', '责任人：陈国平', '2026-12-15', hash]) {
			expect(text).toContain(expected);
		}
	});

	it('refuses outsiders, callers without a session, and another community in the path', async () => {
		const { id } = await createSessionApi(f.server, await f.server.login('demo-committee'));
		expect((await fetch(pdfUrl(id))).status).toBe(401);
		const liaison = { headers: { authorization: `Bearer ${await f.server.login('demo-liaison')}` } };
		expect((await fetch(pdfUrl(id), liaison)).status).toBe(200); // a grid member of c1 reads c1's minutes
		const admin = { headers: { authorization: `Bearer ${await f.server.login('demo-admin')}` } };
		const elsewhere = await createSessionApi(f.server, await f.server.login('demo-admin'), {}, 'c2');
		expect((await fetch(pdfUrl(elsewhere.id, 'c2'), liaison)).status).toBe(403);
		expect((await fetch(pdfUrl(id, 'c2'), admin)).status).toBe(404);
		expect((await fetch(pdfUrl('NOSUCH'), admin)).status).toBe(404);
		expect((await fetch(pdfUrl(id), admin)).status).toBe(200);
	});
});
