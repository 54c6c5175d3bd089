import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
	it('has safe defaults', () => {
		const c = loadConfig({});
		expect(c.PORT).toBe(3000);
		expect(c.DEMO).toBe(true);
		// demo data has a public password: reachable from this machine only
		expect(c.HOST).toBe('127.0.0.1');
		expect(c.hostSet).toBe(false);
		expect(c.DATA_DIR).toMatch(/\/data$/);
		expect(c.dbFile).toMatch(/\/data\/tongxin\.sqlite$/);
	});

	it('reads DEMO=0 as off and treats empty values as unset', () => {
		expect(loadConfig({ DEMO: '0' }).DEMO).toBe(false);
		expect(loadConfig({ DEMO: 'false' }).DEMO).toBe(false);
		expect(loadConfig({ DEMO: '1' }).DEMO).toBe(true);
		expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
	});

	it('listens on every interface without demo data, and wherever HOST says when it is set', () => {
		expect(loadConfig({ DEMO: '0' }).HOST).toBe('0.0.0.0');
		expect(loadConfig({ DEMO: '1', HOST: '0.0.0.0' })).toMatchObject({ HOST: '0.0.0.0', hostSet: true });
		expect(loadConfig({ DEMO: '0', HOST: '192.0.2.10' }).HOST).toBe('192.0.2.10');
		expect(loadConfig({ HOST: '' }).HOST).toBe('127.0.0.1');
	});

	it('checks the proxy address settings', () => {
		expect(loadConfig({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' })).toMatchObject({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: 2 });
		expect(() => loadConfig({ XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH="0"/);
		expect(() => loadConfig({ ADDRESS_HEADER: 'x forwarded: for' })).toThrow(/ADDRESS_HEADER/);
	});

	it('names every invalid variable in one clear error', () => {
		let error: unknown;
		try {
			loadConfig({ PORT: 'eighty', ORIGIN: 'not a url', LOG_LEVEL: 'loud' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const message = (error as Error).message;
		expect(message).toMatch(/PORT="eighty"/);
		expect(message).toMatch(/ORIGIN="not a url"/);
		expect(message).toMatch(/LOG_LEVEL="loud"/);
	});
});
