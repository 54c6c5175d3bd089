/**
 * Login and the cached account. The token from the login answer is kept in IndexedDB so the
 * WebSocket provider can authenticate after a reload, and so a user who logged in once can
 * keep working on this device with no network for the offline window (offline-window.ts).
 * Logging out is device-wipe.ts: it also removes the user's documents from the device.
 */
import { db, type AccountRow, type User } from './db.ts';

export type LoginResult =
	| { ok: true; account: AccountRow; previousUserId: string | null }
	| { ok: false; error: 'invalidCredentials' | 'accountDisabled' | 'tooManyAttempts' | 'offline' | 'failed'; message?: string; retryAfter?: number };

/** What the server tells a device about the deployment (login and session answers). */
interface ServerSettings {
	offlineGraceDays?: number;
}

function graceOf(settings: ServerSettings | undefined): { offlineGraceDays?: number } {
	const days = settings?.offlineGraceDays;
	return typeof days === 'number' && Number.isInteger(days) && days > 0 ? { offlineGraceDays: days } : {};
}

/** The user whose edits this tab records (set by every read of the cached account). */
let activeUser: string | null = null;

export function activeUserId(): string | null {
	return activeUser;
}

export async function cachedAccount(): Promise<AccountRow | undefined> {
	const account = await db().account.get('current');
	activeUser = account?.user.id ?? null;
	return account;
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
		const body = (await res.json().catch(() => null)) as { error?: string; message?: string } | null;
		if (res.status === 403 && body?.error === 'accountDisabled') return { ok: false, error: 'accountDisabled', message: body.message };
		if (res.status === 429) {
			const retryAfter = Number(res.headers.get('retry-after'));
			return { ok: false, error: 'tooManyAttempts', message: body?.message, retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined };
		}
		return { ok: false, error: 'failed', message: body?.message };
	}
	const body = (await res.json()) as { token: string; user: User; settings?: ServerSettings };
	const previous = await cachedAccount();
	const now = new Date().toISOString();
	const account: AccountRow = {
		id: 'current',
		user: body.user,
		token: body.token,
		lastLoginAt: now,
		lastValidatedAt: now,
		...graceOf(body.settings)
	};
	await db().account.put(account);
	activeUser = account.user.id;
	return { ok: true, account, previousUserId: previous?.user.id ?? null };
}

export async function markExpired(): Promise<void> {
	await db().account.update('current', { expired: true });
}

/** How often an accepted session refreshes the offline window (not on every document). */
const VALIDATION_WRITE_MS = 10 * 60 * 1000;

/** The server accepted this device's session just now: the offline window starts again. */
export async function markValidated(user?: User, settings?: ServerSettings): Promise<void> {
	const account = await cachedAccount();
	if (!account) return;
	const last = Date.parse(account.lastValidatedAt ?? '');
	if (!user && !account.expired && Number.isFinite(last) && Date.now() - last < VALIDATION_WRITE_MS) return;
	await db().account.update('current', { lastValidatedAt: new Date().toISOString(), expired: false, ...(user ? { user } : {}), ...graceOf(settings) });
}

/**
 * Asks the server whether the cached session is still good (used when the offline window has
 * run out). True and a fresh window when it is; false when refused or unreachable.
 */
export async function validateSession(): Promise<boolean> {
	const token = await currentToken();
	if (!token) return false;
	try {
		const res = await fetch('/api/session', { headers: { authorization: `Bearer ${token}` } });
		if (res.ok) {
			const body = (await res.json()) as { user: User; settings?: ServerSettings };
			await markValidated(body.user, body.settings);
			return true;
		}
		if (res.status === 401) await markExpired();
	} catch {
		// unreachable
	}
	return false;
}
