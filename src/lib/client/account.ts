/**
 * Login, logout and the cached account. The token from the login answer is kept in IndexedDB
 * so the WebSocket provider can authenticate after a reload, and so a user who logged in once
 * can keep working on this device with no network.
 */
import { db, type AccountRow, type User } from './db.ts';

export type LoginResult = { ok: true; account: AccountRow } | { ok: false; error: 'invalidCredentials' | 'offline' | 'failed'; message?: string };

export async function cachedAccount(): Promise<AccountRow | undefined> {
	return db().account.get('current');
}

export async function currentToken(): Promise<string> {
	return (await cachedAccount())?.token ?? '';
}

export async function login(username: string, password: string): Promise<LoginResult> {
	let res: Response;
	try {
		res = await fetch('/api/session', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username, password })
		});
	} catch {
		return { ok: false, error: 'offline' };
	}
	if (res.status === 401) return { ok: false, error: 'invalidCredentials' };
	if (!res.ok) {
		const body = (await res.json().catch(() => null)) as { message?: string } | null;
		return { ok: false, error: 'failed', message: body?.message };
	}
	const body = (await res.json()) as { token: string; user: User };
	const account: AccountRow = { id: 'current', user: body.user, token: body.token, lastLoginAt: new Date().toISOString() };
	await db().account.put(account);
	return { ok: true, account };
}

/**
 * Ends the session on the server when reachable and forgets the login on this device. The
 * grids' documents stay in IndexedDB: edits not yet on the server go up after the next login.
 */
export async function logout(): Promise<void> {
	const token = await currentToken();
	try {
		await fetch('/api/session', { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} });
	} catch {
		// offline: the server session expires on its own
	}
	await db().account.delete('current');
}

export async function markExpired(): Promise<void> {
	await db().account.update('current', { expired: true });
}
