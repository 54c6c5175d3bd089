/**
 * How long a device may open its documents with no word from the server. A login (or any
 * later answer from the server that the session is still good) starts the window again;
 * past it, the app asks for the password before opening anything. The local data stays.
 */
export const OFFLINE_GRACE_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OfflineWindowInput {
	/** When the server last accepted this device's session (ISO). */
	lastValidatedAt?: string;
	/** When this device last logged in (ISO): the start when nothing later is known. */
	lastLoginAt: string;
	/** A deployment's own length, when the server said so; else OFFLINE_GRACE_DAYS. */
	offlineGraceDays?: number;
}

/** The moment offline use ends, or null when no valid start time is known. */
export function offlineAccessEnds(account: OfflineWindowInput): Date | null {
	const starts = [account.lastValidatedAt, account.lastLoginAt]
		.map((iso) => (iso ? Date.parse(iso) : NaN))
		.filter((ms) => Number.isFinite(ms));
	if (starts.length === 0) return null;
	const days = account.offlineGraceDays !== undefined && account.offlineGraceDays > 0 ? account.offlineGraceDays : OFFLINE_GRACE_DAYS;
	return new Date(Math.max(...starts) + days * DAY_MS);
}

/** Whether the device may still open its documents without asking for the password. */
export function offlineAccessOpen(account: OfflineWindowInput, now: Date = new Date()): boolean {
	const ends = offlineAccessEnds(account);
	return ends !== null && now.getTime() < ends.getTime();
}

/**
 * A place inside the app to come back to after logging in: only same-site paths, never the
 * login page itself or an address that leaves the site.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/grids'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
	if (value === '/login' || value.startsWith('/login?') || value.startsWith('/api/')) return fallback;
	return value;
}
