import type { layoutZhCN } from './layout.zh-CN.ts';

/** Words of the layout itself (phone menu, list/map switch), English. */
export const layoutEn: Record<keyof typeof layoutZhCN, string> = {
	'layout.menu': 'Menu',
	'layout.closeMenu': 'Close menu',
	'layout.list': 'List',
	'layout.map': 'Map',
	'layout.views': 'List or map'
};
