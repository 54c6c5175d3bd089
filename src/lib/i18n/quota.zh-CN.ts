/** Strings of write quotas and refused edits (issues 12 and 14), zh-CN. */
export const quotaZhCN = {
	'quota.tooLarge': '本机有一次修改过大（超过服务器的上限），服务器未接收；修改仍保存在本机，{n} 份文档已在本机暂停同步，请联系管理员',
	'quota.waiting': '修改提交过于频繁，服务器暂缓接收；修改仍保存在本机，{n} 份文档稍后自动重试'
};
