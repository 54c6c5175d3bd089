/** Strings of write quotas and refused edits (issues 12 and 14), zh-CN. */
export const quotaZhCN = {
	'quota.tooLarge': '本机有一次修改过大（超过服务器的上限），服务器未接收；修改仍保存在本机，{n} 份文档已在本机暂停同步，请联系管理员',
	'quota.waiting': '修改提交过于频繁，服务器暂缓接收；修改仍保存在本机，{n} 份文档稍后自动重试',
	'gridRefused.message': '网格「{name}」的部分修改未被服务器接受（权限或格式不符，例如本机时间不准），此网格已在本机暂停同步；这些修改仍保存在本机。请联系社区管理员',
	'gridRefused.unnamed': '未命名网格',
	'gridRefused.discard': '放弃本机修改并从服务器重新打开',
	'gridRefused.discardConfirm': '确定放弃网格「{name}」在本机上所有尚未同步到服务器的修改吗？此操作无法撤销，网格将按服务器上的内容重新打开。',
	'gridRefused.discardYes': '确定放弃',
	'gridRefused.keep': '保留修改',
};
