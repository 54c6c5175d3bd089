/**
 * Login and the cached account. The session itself is the HttpOnly cookie the login answer
 * sets: every API call and the WebSocket (connection.ts) authenticate with it, and no page
 * script can read it. The device keeps only who logged in and when (IndexedDB), so a user who
 * logged in once can keep working with no network for the offline window (offline-window.ts).
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

/** A logout that could not reach the server, finishing (see forgetStrayLogin). */
let forgetting: Promise<void> = Promise.resolve();
let loggingIn = false;

/**
 * With no login cached on this device, ends any session cookie still in the browser (a logout
 * made offline could not clear it): the next person on a shared tablet must not find the last
 * one's session. Offline, it waits for the network. A login waits for this first, and this
 * never runs during a login, so it cannot clear the new cookie.
 */
export function forgetStrayLogin(): void {
	forgetting = forgetting.then(async () => {
		if (loggingIn || (await cachedAccount())) return;
		if (!navigator.onLine) {
			window.addEventListener('online', forgetStrayLogin, { once: true });
			return;
		}
		try {
			await fetch('/api/session', { method: 'DELETE' });
		} catch {
			// unreachable: tried again at the next start
		}
	});
}

export async function login(username: string, password: string): Promise<LoginResult> {
	await forgetting;
	loggingIn = true;
	try {
		return await attemptLogin(username, password);
	} finally {
		loggingIn = false;
	}
}

async function attemptLogin(username: string, password: string): Promise<LoginResult> {
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
	// the answer's token is for non-browser clients; this device keeps only the cookie
	const body = (await res.json()) as { user: User; settings?: ServerSettings };
	const previous = await cachedAccount();
	const now = new Date().toISOString();
	const account: AccountRow = {
		id: 'current',
		user: body.user,
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
	if (!(await cachedAccount())) return false;
	try {
		const res = await fetch('/api/session');
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
