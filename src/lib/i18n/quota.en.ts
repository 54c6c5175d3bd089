import type { quotaZhCN } from './quota.zh-CN.ts';

/** Strings of write quotas and refused edits (issues 12 and 14), English. */
export const quotaEn: Record<keyof typeof quotaZhCN, string> = {
	'quota.tooLarge': 'An edit on this device is larger than the server accepts and was not taken; it is kept on this device, and {n} documents have stopped syncing here. Please contact an administrator',
	'quota.waiting': 'Edits are being sent faster than the server accepts; they are kept on this device, and {n} documents will try again shortly',
	'gridRefused.message': 'Some changes to the grid “{name}” were not accepted by the server (not permitted or not in the expected form, e.g. this device’s clock is wrong), so this grid has stopped syncing on this device; the changes are kept on this device. Please contact your community administrator',
	'gridRefused.unnamed': 'unnamed grid',
	'gridRefused.discard': 'Discard this device’s changes and reopen from the server',
	'gridRefused.discardConfirm': 'Discard every change to the grid “{name}” on this device that the server does not have yet? This cannot be undone; the grid opens again as the server has it.',
	'gridRefused.discardYes': 'Discard',
	'gridRefused.keep': 'Keep the changes',
};
