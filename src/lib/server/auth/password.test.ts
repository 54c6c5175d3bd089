import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('argon2id password hashes', () => {
	it('encodes salt and parameters in a PHC string and verifies', async () => {
		const hash = await hashPassword('tongxin-demo');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
		expect(await verifyPassword('tongxin-demo', hash)).toBe(true);
		expect(await verifyPassword('tongxin-demo ', hash)).toBe(false);
		expect(await verifyPassword('', hash)).toBe(false);
	});

	it('salts every hash', async () => {
		expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
	});

	it('honours the parameters stored in the hash', async () => {
		const light = await hashPassword('pw', { memory: 8192, passes: 1, parallelism: 1 });
		expect(light).toContain('m=8192,t=1,p=1');
		expect(await verifyPassword('pw', light)).toBe(true);
	});

	it('answers false, never throws, for malformed hashes', async () => {
		for (const bad of ['', 'plain', '$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '$argon2id$v=19$m=19456,t=2,p=1$!!$??']) {
			expect(await verifyPassword('x', bad)).toBe(false);
		}
	});
});
