import { describe, expect, it } from 'vitest';
import { demoBanner } from './banner.ts';
import { DEMO_PASSWORD } from './seed.ts';

describe('demo banner', () => {
	it('on the default loopback address, says the server is local and how to open it to the LAN', () => {
		const text = demoBanner('127.0.0.1', 3000).join('\n');
		expect(text).toContain(`password: ${DEMO_PASSWORD}`);
		expect(text).toContain('demo-gridworker');
		expect(text).toMatch(/listens on 127\.0\.0\.1 only/);
		expect(text).toContain('HOST=0.0.0.0');
		expect(text).not.toMatch(/WARNING/);
	});

	it('warns when the demo accounts are reachable from the network', () => {
		const text = demoBanner('0.0.0.0', 3000).join('\n');
		expect(text).toMatch(/WARNING: .*reached from the network \(HOST=0\.0\.0\.0\)/);
	});
});
