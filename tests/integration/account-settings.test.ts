/**
 * The deployment's offline window reaches devices in the login and session answers
 * (OFFLINE_GRACE_DAYS, default 14), and a bad value stops the server at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { call } from '../helpers/access.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.stop();
	server = null;
});

async function settingsOf(s: TestServer): Promise<{ login: unknown; session: unknown }> {
	const login = await call(s, null, 'POST', '/api/session', { username: 'demo-liaison', password: 'tongxin-demo' });
	expect(login.status).toBe(200);
	const session = await call(s, login.body.token, 'GET', '/api/session');
	return { login: login.body.settings, session: session.body.settings };
}

describe('OFFLINE_GRACE_DAYS', () => {
	it('is 14 days unless set, and told at login and on each session check', async () => {
		server = await startServer();
		expect(await settingsOf(server)).toEqual({ login: { offlineGraceDays: 14 }, session: { offlineGraceDays: 14 } });
	});

	it('follows the environment', async () => {
		server = await startServer({ env: { OFFLINE_GRACE_DAYS: '3' } });
		expect(await settingsOf(server)).toEqual({ login: { offlineGraceDays: 3 }, session: { offlineGraceDays: 3 } });
	});

	it('refuses values that are not whole days from 1 to 365', () => {
		for (const v of ['0', '366', '1.5', 'two']) expect(() => loadConfig({ OFFLINE_GRACE_DAYS: v })).toThrow(ConfigError);
		expect(loadConfig({}).OFFLINE_GRACE_DAYS).toBe(14);
	});
});
