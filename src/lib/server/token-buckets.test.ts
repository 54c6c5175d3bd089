import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.ts';

describe('TokenBuckets', () => {
	it('takes up to the burst, refuses past it without taking, refills with time', () => {
		let t = 0;
		const b = new TokenBuckets({ burst: 100, perSecond: 10 }, () => t);
		expect(b.take('u1', 60)).toBe(true);
		expect(b.take('u1', 60)).toBe(false);
		expect(b.available('u1')).toBe(40);
		expect(b.take('u2', 100)).toBe(true); // keys are independent
		t = 2000;
		expect(b.available('u1')).toBe(60);
		expect(b.take('u1', 60)).toBe(true);
		t = 1_000_000;
		expect(b.available('u1')).toBe(100); // never above the burst
	});

	it('says when an amount will be available, and never for more than the burst', () => {
		let t = 0;
		const b = new TokenBuckets({ burst: 100, perSecond: 10 }, () => t);
		b.take('u', 100);
		expect(b.secondsUntil('u', 50)).toBe(5);
		expect(b.secondsUntil('u', 101)).toBe(Infinity);
		t = 5000;
		expect(b.secondsUntil('u', 50)).toBe(0);
	});
});
