import type { quotaZhCN } from './quota.zh-CN.ts';

/** Strings of write quotas and refused edits (issues 12 and 14), English. */
export const quotaEn: Record<keyof typeof quotaZhCN, string> = {
	'quota.tooLarge': 'An edit on this device is larger than the server accepts and was not taken; it is kept on this device, and {n} documents have stopped syncing here. Please contact an administrator',
	'quota.waiting': 'Edits are being sent faster than the server accepts; they are kept on this device, and {n} documents will try again shortly'
};
