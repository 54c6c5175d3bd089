import { describe, expect, it } from 'vitest';
import { OFFLINE_GRACE_DAYS, offlineAccessEnds, offlineAccessOpen, safeReturnTo } from './offline-window.ts';

const day = 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);

describe('offline access window', () => {
	it('lasts OFFLINE_GRACE_DAYS from the login by default', () => {
		expect(OFFLINE_GRACE_DAYS).toBe(14);
		const account = { lastLoginAt: '2026-11-01T08:00:00.000Z' };
		expect(offlineAccessEnds(account)?.toISOString()).toBe('2026-11-15T08:00:00.000Z');
		expect(offlineAccessOpen(account, at('2026-11-15T07:59:59.000Z'))).toBe(true);
		expect(offlineAccessOpen(account, at('2026-11-15T08:00:00.000Z'))).toBe(false);
	});

	it('starts again from the last time the server accepted the session', () => {
		const account = { lastLoginAt: '2026-11-01T08:00:00.000Z', lastValidatedAt: '2026-11-10T08:00:00.000Z' };
		expect(offlineAccessOpen(account, at('2026-11-20T08:00:00.000Z'))).toBe(true);
		expect(offlineAccessOpen(account, new Date(Date.parse('2026-11-10T08:00:00.000Z') + 14 * day))).toBe(false);
	});

	it('follows a deployment length when given, and closes on unreadable times', () => {
		const account = { lastLoginAt: '2026-11-01T08:00:00.000Z', offlineGraceDays: 3 };
		expect(offlineAccessOpen(account, at('2026-11-03T08:00:00.000Z'))).toBe(true);
		expect(offlineAccessOpen(account, at('2026-11-04T08:00:00.000Z'))).toBe(false);
		expect(offlineAccessOpen({ lastLoginAt: 'yesterday' })).toBe(false);
		expect(offlineAccessOpen({ lastLoginAt: '2026-11-01T08:00:00.000Z', offlineGraceDays: 0 }, at('2026-11-10T00:00:00.000Z'))).toBe(true);
	});
});

describe('safeReturnTo', () => {
	it('keeps paths inside the app', () => {
		expect(safeReturnTo('/grids/g2?x=1')).toBe('/grids/g2?x=1');
		expect(safeReturnTo('/liaison/g2')).toBe('/liaison/g2');
	});
	it('refuses other sites, the login page and the API', () => {
		for (const v of ['https://evil.example/', '//evil.example', '/\\evil', '/login', '/login?returnTo=/x', '/api/grids', '', null, undefined])
			expect(safeReturnTo(v)).toBe('/grids');
	});
});
