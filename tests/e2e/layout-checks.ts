/**
 * What a person would see wrong on a screen, read from the live page: the page scrolling
 * sideways, something sticking out past the screen's edge, a short label (button, tab,
 * heading, menu item) broken over two lines, a map too small to tap a household on, and
 * English words in the Chinese interface.
 */
import type { Page } from 'playwright-core';

export interface LayoutProblem {
	kind: 'overflow' | 'sticks-out' | 'wrapped-label' | 'small-map' | 'english' | 'small-target';
	detail: string;
}

/**
 * Latin words allowed in the zh-CN interface: the language switch's own name, the product's
 * name (the page title SvelteKit's announcer reads out), file formats and the GeoJSON terms an
 * admin pastes. Identifiers (usernames, place ids: a token with a digit or
 * a hyphen, e.g. demo-liaison, st1) are names, not words.
 */
export const LATIN_ALLOWED = ['English', 'Tongxin', 'PDF', 'GeoJSON', 'JSON', 'Polygon', 'Feature', 'SHA'];

export interface CheckOptions {
	/** The interface language is zh-CN: look for English words. */
	chinese: boolean;
	/** Smallest map that still works by touch. */
	minMap?: { width: number; height: number };
}

export async function layoutProblems(page: Page, options: CheckOptions): Promise<LayoutProblem[]> {
	return page.evaluate(
		({ chinese, minMap, allowed }) => {
			const problems: { kind: string; detail: string }[] = [];
			const vw = window.innerWidth;
			const describe = (el: Element): string => {
				const id = el.getAttribute('data-testid');
				const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).filter((c) => !c.startsWith('svelte-'))[0] ?? ''}` : '';
				const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
				return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${cls !== '.' ? cls : ''}> "${text}"`;
			};
			const visible = (el: Element): boolean => {
				const r = el.getBoundingClientRect();
				if (r.width === 0 || r.height === 0) return false;
				const s = getComputedStyle(el);
				return s.visibility !== 'hidden' && s.display !== 'none';
			};
			/** Inside something that scrolls or clips sideways on purpose (a list, a map, a table). */
			const clippedSideways = (el: Element): boolean => {
				for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
					const ox = getComputedStyle(p).overflowX;
					if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') {
						const r = p.getBoundingClientRect();
						if (r.left >= -1 && r.right <= vw + 1) return true;
					}
				}
				return false;
			};

			const root = document.scrollingElement!;
			if (root.scrollWidth > vw + 1) problems.push({ kind: 'overflow', detail: `the page scrolls sideways: ${root.scrollWidth} px content in a ${vw} px screen` });

			const all = [...document.body.querySelectorAll('*')].filter((el) => !el.closest('.maplibregl-map'));
			const reported = new Set<Element>();
			for (const el of all) {
				if (!visible(el)) continue;
				const r = el.getBoundingClientRect();
				if (r.right <= vw + 1 && r.left >= -1) continue;
				if (getComputedStyle(el).position === 'fixed' && (r.right <= 0 || r.left >= vw)) continue; // a closed drawer
				if (clippedSideways(el)) continue;
				// report the outermost culprit only
				if ([...reported].some((o) => o.contains(el))) continue;
				reported.add(el);
				problems.push({ kind: 'sticks-out', detail: `${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px of a ${vw} px screen` });
			}

			// short labels on one line
			const labels = document.body.querySelectorAll('button, a, [role=tab], h1, h2, h3, legend, th, label, nav a, .n, summary');
			for (const el of labels) {
				if (!visible(el) || el.closest('.maplibregl-map')) continue;
				const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
				if (!text || [...text].length > 12) continue;
				if (el.querySelector('input, textarea, select, ul, ol, p, div')) continue;
				const range = document.createRange();
				range.selectNodeContents(el);
				const tops = new Set<number>();
				for (const rect of range.getClientRects()) if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top / 4));
				const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.4;
				const lines = [...tops].sort((a, b) => a - b);
				const spread = lines.length > 1 ? (lines[lines.length - 1] - lines[0]) * 4 : 0;
				if (spread > lineHeight * 0.8) problems.push({ kind: 'wrapped-label', detail: `${describe(el)} is broken over lines` });
			}

			// touch targets
			for (const el of document.body.querySelectorAll('button, a[href], [role=tab], input[type=checkbox], input[type=radio], select')) {
				if (!visible(el) || el.closest('.maplibregl-ctrl-attrib')) continue;
				// an inline link inside running text is a target the size of its words
				if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') continue;
				// a checkbox or radio inside its label: the label is the target
				const target = (el.tagName === 'INPUT' && el.closest('label')) || el;
				const r = target.getBoundingClientRect();
				if (Math.min(r.width, r.height) < 43.5 && !(el.tagName === 'INPUT' && r.height >= 43.5))
					problems.push({ kind: 'small-target', detail: `${describe(target)} is ${Math.round(r.width)}×${Math.round(r.height)} px` });
			}

			if (minMap) {
				for (const el of document.querySelectorAll('[data-testid=grid-map], [data-testid=sessions-map]')) {
					if (!visible(el)) continue;
					const r = el.getBoundingClientRect();
					if (r.width < minMap.width || r.height < minMap.height)
						problems.push({ kind: 'small-map', detail: `${el.getAttribute('data-testid')} is ${Math.round(r.width)}×${Math.round(r.height)} px` });
				}
			}

			if (chinese) {
				const englishWords = (text: string): string[] =>
					(text.match(/[A-Za-z0-9][A-Za-z0-9_'’-]*/g) ?? []).filter((w) => /^[A-Za-z'’]{2,}$/.test(w) && !allowed.includes(w));
				const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
				const words = new Map<string, string>();
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const parent = n.parentElement;
					if (!parent || parent.closest('script, style, code, .maplibregl-ctrl-attrib, [translate=no]') || !visible(parent)) continue;
					for (const w of englishWords(n.textContent ?? '')) words.set(w, (n.textContent ?? '').trim().slice(0, 60));
				}
				for (const el of document.body.querySelectorAll('[placeholder], [aria-label], [title]')) {
					if (!visible(el)) continue;
					for (const attr of ['placeholder', 'aria-label', 'title']) {
						for (const w of englishWords(el.getAttribute(attr) ?? '')) words.set(w, `${attr}="${el.getAttribute(attr)}"`);
					}
				}
				for (const [w, where] of words) problems.push({ kind: 'english', detail: `"${w}" in "${where}"` });
			}
			return problems as LayoutProblem[];
		},
		{ chinese: options.chinese, minMap: options.minMap ?? null, allowed: LATIN_ALLOWED }
	);
}
