/**
 * Token buckets keyed by a string (a user id, a document name): each holds at most `burst`
 * tokens and refills at `perSecond`. A take either takes all it asks for or nothing, so a
 * refused update costs nothing. Idle buckets that have refilled are dropped, so the map holds
 * only keys that wrote recently.
 */
import type { Rate } from '../domain/limits.ts';

interface Bucket {
	tokens: number;
	at: number;
}

export class TokenBuckets {
	readonly rate: Rate;
	private readonly buckets = new Map<string, Bucket>();
	private readonly now: () => number;

	constructor(rate: Rate, now: () => number = () => performance.now()) {
		this.rate = rate;
		this.now = now;
	}

	/** The tokens `key` has now (a full bucket for a key never seen). */
	available(key: string): number {
		const b = this.buckets.get(key);
		if (!b) return this.rate.burst;
		return Math.min(this.rate.burst, b.tokens + ((this.now() - b.at) / 1000) * this.rate.perSecond);
	}

	/** Whether `key` has `amount` tokens: without taking any. */
	has(key: string, amount: number): boolean {
		return this.available(key) >= amount;
	}

	/** Takes `amount` tokens from `key` if it has them; returns whether it did. */
	take(key: string, amount: number): boolean {
		const tokens = this.available(key);
		if (tokens < amount) return false;
		this.buckets.set(key, { tokens: tokens - amount, at: this.now() });
		if (this.buckets.size > 10_000) this.prune();
		return true;
	}

	/** Seconds until `key` has `amount` tokens (Infinity when it never will). */
	secondsUntil(key: string, amount: number): number {
		if (amount > this.rate.burst) return Infinity;
		const missing = amount - this.available(key);
		return missing <= 0 ? 0 : missing / this.rate.perSecond;
	}

	private prune(): void {
		for (const key of [...this.buckets.keys()]) if (this.available(key) >= this.rate.burst) this.buckets.delete(key);
	}
}
