/**
 * A font with Chinese glyphs for the PDF exports. PDF's standard fonts have none, and no font
 * can be fetched at run time, so the server uses one installed on its machine: `PDF_FONT`
 * (a .ttf/.otf/.ttc path, with `PDF_FONT_FAMILY` naming the face inside a .ttc), else the
 * first of Debian's CJK font packages found (fonts-wqy-microhei, fonts-noto-cjk,
 * fonts-wqy-zenhei). Without one, exports answer 503 saying which package to install.
 */
import { existsSync } from 'node:fs';

export interface CjkFont {
	path: string;
	/** The face inside a font collection (.ttc); undefined for a single-face file. */
	family?: string;
}

const CANDIDATES: readonly CjkFont[] = [
	{ path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
	{ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
	{ path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' }
];

export const CJK_FONT_HINT = 'install a CJK font (Debian: apt-get install fonts-wqy-microhei) or set PDF_FONT';

export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont | null {
	if (env.PDF_FONT) return existsSync(env.PDF_FONT) ? { path: env.PDF_FONT, family: env.PDF_FONT_FAMILY || undefined } : null;
	return CANDIDATES.find((f) => existsSync(f.path)) ?? null;
}
