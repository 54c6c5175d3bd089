import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import yDexie from 'y-dexie';
import { describe, expect, it } from 'vitest';
import { db } from './db.ts';

describe('device database upgrade', () => {
	it('drops the session token that version 1 kept in the cached account, keeping the account', async () => {
		const old = new Dexie('tongxin', { addons: [yDexie] });
		old.version(1).stores({ grids: 'id, communityId, doc: Y.Doc', sessions: 'id, communityId, doc: Y.Doc', account: 'id', syncState: 'docName' });
		const user = { id: 'u1', username: 'alice', displayName: '爱丽丝', memberships: [] };
		await old.table('account').put({ id: 'current', user, token: 'abcdefghijklmnopqrstuvwxyz234567', lastLoginAt: '2026-01-01T00:00:00.000Z' });
		old.close();

		const row = await db().account.get('current');
		expect(row).toEqual({ id: 'current', user, lastLoginAt: '2026-01-01T00:00:00.000Z' });
		db().close();
	});
});
