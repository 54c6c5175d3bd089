/**
 * The text of a PDF made by our exports (pdfkit, one embedded font), read back for tests: the
 * content streams (inflated when Flate-compressed) hold `[<glyph ids>] TJ` strings, and the
 * font's ToUnicode CMap (`beginbfrange` lines) maps those glyph ids to characters. Enough for
 * pdfkit's output; not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

function streams(pdf: Buffer): string[] {
	const out: string[] = [];
	const latin = pdf.toString('latin1');
	const re = /<<([^]*?)>>\s*stream\r?\n/g;
	for (let m = re.exec(latin); m; m = re.exec(latin)) {
		const start = m.index + m[0].length;
		const end = latin.indexOf('endstream', start);
		if (end < 0) break;
		let bytes = pdf.subarray(start, end);
		if (/\/FlateDecode/.test(m[1])) {
			try {
				bytes = inflateSync(bytes, { finishFlush: 2 });
			} catch {
				continue; // a font program or image we do not need
			}
		}
		out.push(bytes.toString('latin1'));
	}
	return out;
}

/** Every text run of the PDF, in drawing order, joined with newlines. */
export function pdfText(pdf: Buffer): string {
	const all = streams(pdf);
	const map = new Map<number, string>();
	for (const s of all) {
		for (const block of s.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
			for (const r of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]/g)) {
				const first = parseInt(r[1], 16);
				const targets = [...r[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => x[1]);
				targets.forEach((hex, i) => {
					let text = '';
					for (let k = 0; k < hex.length; k += 4) text += String.fromCharCode(parseInt(hex.slice(k, k + 4), 16));
					map.set(first + i, text);
				});
			}
		}
	}
	const lines: string[] = [];
	for (const s of all) {
		for (const tj of s.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
			let line = '';
			for (const h of tj[1].matchAll(/<([0-9a-fA-F]*)>/g)) {
				for (let k = 0; k < h[1].length; k += 4) line += map.get(parseInt(h[1].slice(k, k + 4), 16)) ?? '\uFFFD';
			}
			lines.push(line);
		}
	}
	return lines.join('\n');
}
