/**
 * The minutes of a deliberation session as a PDF (会议纪要): meta, attendance, agenda with
 * each item's minutes, proposals with every vote and the tally, resolutions with their action
 * items, sign-offs, and the hash of the final state once frozen. Made on the server with
 * pdfkit (pure JavaScript) in a CJK font installed on the machine (cjk-font.ts); the text is
 * real text (searchable, copyable), not an image.
 */
import PDFDocument from 'pdfkit';
import type { SessionState } from '../domain/session-doc.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import type { CjkFont } from './cjk-font.ts';

type Key = keyof typeof zhCN;
const t = (key: Key, params: Record<string, string | number> = {}): string => {
	let text: string = zhCN[key];
	for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
	return text;
};

/** `2026-11-23T09:00:00.000Z` → `2026-11-23 17:00` in China Standard Time (UTC+8, no DST). */
export function chinaTime(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return iso;
	return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface MinutesPdfOptions {
	font: CjkFont;
	/** Display name for a user id. */
	nameOf: (userId: string) => string;
	/** Name of a place (the community), never its id on paper. */
	placeName?: (placeId: string) => string;
	/** Uncompressed content streams (tests read the text back). */
	compress?: boolean;
}

export function renderMinutesPdf(s: SessionState, options: MinutesPdfOptions): Promise<Uint8Array<ArrayBuffer>> {
	const { nameOf } = options;
	const pdf = new PDFDocument({
		size: 'A4',
		margin: 56,
		compress: options.compress ?? true,
		info: { Title: `${t('print.title')} · ${s.meta.title}`, Creator: 'Tongxin' }
	});
	const chunks: Buffer[] = [];
	const done = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
		pdf.on('data', (c: Buffer) => chunks.push(c));
		pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		pdf.on('error', reject);
	});
	if (options.font.family) pdf.font(options.font.path, options.font.family);
	else pdf.font(options.font.path);

	const heading = (text: string) => pdf.moveDown(0.8).fontSize(13).fillColor('#000').text(text).moveDown(0.3).fontSize(10.5);
	const line = (text: string, indent = 0) => pdf.text(text, { indent, paragraphGap: 2 });

	pdf.fontSize(18).text(`${t('print.title')}`, { align: 'center' });
	pdf.fontSize(14).text(s.meta.title, { align: 'center' }).moveDown(0.6).fontSize(10.5);
	line(`${t('sessions.form.startsAt')}：${chinaTime(s.meta.startsAt)}`);
	if (s.meta.place) line(`${t('sessions.form.placeLabel')}：${s.meta.place.label || ''}（${s.meta.place.lng}, ${s.meta.place.lat}）`);
	line(`${t('session.chair')}：${nameOf(s.meta.chairId)}`);
	line(`${t('sessions.community')}：${options.placeName?.(s.meta.communityId) ?? s.meta.communityId}`);
	if (s.meta.topic) line(`${t('sessions.form.topic')}：${s.meta.topic}`);

	heading(t('session.attendance'));
	line(s.attendance.map((a) => a.name).join('、') || '—');

	heading(`${t('session.agenda')}与${t('session.minutes')}`);
	s.agenda.forEach((item, i) => {
		pdf.fontSize(11.5).text(`${i + 1}. ${item.title}${item.discussed ? `（${t('session.discussed')}）` : ''}`).fontSize(10.5);
		const minutes = s.minutes[item.id] ?? '';
		for (const l of minutes ? minutes.split('\n') : [t('print.noMinutes')]) line(l, 14);
		pdf.moveDown(0.3);
	});

	heading(t('session.proposals'));
	if (s.proposals.length === 0) line('—');
	for (const p of s.proposals) {
		const item = s.agenda.find((a) => a.id === p.agendaItemId);
		line(`${p.text}${item ? `（${item.title}）` : ''}`);
		line(`${t(`session.proposalStatus.${p.status}` as Key)} · ${t('session.tally', { for: p.tally.for, against: p.tally.against, abstain: p.tally.abstain })}${p.result ? ` · ${t(`session.result.${p.result}` as Key)}` : ''}`, 14);
		if (p.votes.length) line(p.votes.map((v) => `${nameOf(v.userId)}：${t(`session.vote.${v.choice}` as Key)}`).join('；'), 14);
	}

	heading(t('session.resolutions'));
	if (s.resolutions.length === 0) line('—');
	s.resolutions.forEach((r, i) => {
		line(`${i + 1}. ${r.text}`);
		for (const a of s.actionItems.filter((x) => x.resolutionId === r.id)) {
			line(`${t('session.actionItems')}：${a.text} · ${t('session.owner')}：${nameOf(a.owner)} · ${t('session.due')}：${a.due} · ${t(a.status === 'done' ? 'session.actionDone' : 'session.actionOpen')}`, 14);
		}
	});

	heading(t('session.signOffs'));
	if (s.signOffs.length === 0) line('—');
	for (const so of s.signOffs) line(`${nameOf(so.userId)} · ${chinaTime(so.at)}`);
	if (s.meta.closeReason) line(t('session.closedReason', { reason: s.meta.closeReason }));

	pdf.moveDown(1).fontSize(9).fillColor('#444');
	if (s.meta.frozenHash) {
		line(`${t('session.hash')}：`);
		line(s.meta.frozenHash);
	} else line(t('session.notFrozenDraft'));

	pdf.end();
	return done;
}
