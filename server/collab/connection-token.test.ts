import { describe, expect, it } from 'vitest';
import { COOKIE_AUTH_TOKEN } from '../../src/lib/domain/collab-auth.ts';
import { connectionToken, cookieValue, sameOrigin } from './connection-token.ts';

const headers = (h: Record<string, string>) => new Headers(h);

describe('connection token', () => {
	it('takes an explicit token as it is, whatever the Origin', () => {
		expect(connectionToken('abc', headers({ origin: 'https://evil.example' }))).toEqual({ ok: true, token: 'abc', via: 'token' });
		expect(connectionToken('', headers({}))).toEqual({ ok: false, reason: 'missing-token' });
	});

	it('takes the session cookie for the placeholder, from the same origin only', () => {
		const cookie = 'a=1; tongxin_session=tok123; b=2';
		expect(connectionToken(COOKIE_AUTH_TOKEN, headers({ origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000', cookie }))).toEqual({
			ok: true,
			token: 'tok123',
			via: 'cookie'
		});
		expect(connectionToken(COOKIE_AUTH_TOKEN, headers({ origin: 'http://evil.example', host: '10.0.0.5:3000', cookie }))).toMatchObject({
			ok: false,
			reason: 'cross-origin'
		});
		expect(connectionToken(COOKIE_AUTH_TOKEN, headers({ host: '10.0.0.5:3000', cookie }))).toMatchObject({ ok: false, reason: 'cross-origin' });
		expect(connectionToken(COOKIE_AUTH_TOKEN, headers({ origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }))).toEqual({
			ok: false,
			reason: 'missing-token'
		});
	});

	it('compares with the configured public origin behind a proxy', () => {
		expect(sameOrigin('https://tongxin.example.org', 'internal:3000', 'https://tongxin.example.org')).toBe(true);
		expect(sameOrigin('http://tongxin.example.org', 'tongxin.example.org', 'https://tongxin.example.org')).toBe(false);
		expect(sameOrigin('null', 'x', undefined)).toBe(false);
	});

	it('reads one cookie out of a header', () => {
		expect(cookieValue('x=1;tongxin_session=abc', 'tongxin_session')).toBe('abc');
		expect(cookieValue('tongxin_sessionx=abc', 'tongxin_session')).toBeNull();
		expect(cookieValue(null, 'tongxin_session')).toBeNull();
	});
});
