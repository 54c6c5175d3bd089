/** Words of the layout itself (phone menu, list/map switch), zh-CN. */
export const layoutZhCN = {
	'layout.menu': '菜单',
	'layout.closeMenu': '关闭菜单',
	'layout.list': '列表',
	'layout.map': '地图',
	'layout.views': '列表或地图'
};
