import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
	it('has safe defaults', () => {
		const c = loadConfig({});
		expect(c.PORT).toBe(3000);
		expect(c.HOST).toBe('0.0.0.0');
		expect(c.DEMO).toBe(true);
		expect(c.DATA_DIR).toMatch(/\/data$/);
		expect(c.dbFile).toMatch(/\/data\/tongxin\.sqlite$/);
	});

	it('reads DEMO=0 as off and treats empty values as unset', () => {
		expect(loadConfig({ DEMO: '0' }).DEMO).toBe(false);
		expect(loadConfig({ DEMO: 'false' }).DEMO).toBe(false);
		expect(loadConfig({ DEMO: '1' }).DEMO).toBe(true);
		expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
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
