/**
 * A seeded random generator for the fuzz tests: the same seed replays the same run, so a
 * failure is reproduced by its seed alone. Built on lib0's xoroshiro128+ (what Yjs's own tests
 * use), with the few helpers the fuzzers need.
 */
import * as prng from 'lib0/prng';

export class Rng {
	readonly seed: number;
	readonly #gen: prng.PRNG;

	constructor(seed: number) {
		this.seed = seed;
		this.#gen = prng.create(seed);
	}

	/** An integer in [min, max], both included. */
	int(min: number, max: number): number {
		return prng.int32(this.#gen, min, max);
	}

	/** A 32-bit unsigned integer. */
	uint32(): number {
		return prng.uint32(this.#gen, 0, 0xffffffff);
	}

	/** True with probability `p`. */
	chance(p: number): boolean {
		return prng.real53(this.#gen) < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[this.int(0, items.length - 1)];
	}

	/** Picks a key of `weights` with probability proportional to its weight. */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
		const entries = Object.entries(weights) as [K, number][];
		let r = prng.real53(this.#gen) * entries.reduce((s, [, w]) => s + w, 0);
		for (const [k, w] of entries) {
			r -= w;
			if (r < 0) return k;
		}
		return entries[entries.length - 1][0];
	}

	/** A short string drawn from `alphabet` (default: Chinese address characters and digits). */
	text(minLen: number, maxLen: number, alphabet = '枫桥镇源村组号路弄幢单元室东西南北新老0123456789'): string {
		const len = this.int(minLen, maxLen);
		let s = '';
		for (let i = 0; i < len; i++) s += alphabet[this.int(0, alphabet.length - 1)];
		return s;
	}
}

/** A fresh seed for a run that was not given one. */
export function randomSeed(): number {
	return Math.floor(Math.random() * 0x7fffffff);
}
