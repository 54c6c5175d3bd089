/**
 * A seeded pseudo-random generator (mulberry32) and helpers, so that the demo data is the same
 * on every machine and every run: the same households, names and colours.
 */
export interface Random {
	/** A float in [0, 1). */
	next(): number;
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** One key of `weights`, with probability proportional to its weight. */
	weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
	chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
	let a = seed >>> 0;
	const next = (): number => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick: (items) => items[Math.floor(next() * items.length)],
		weighted(weights) {
			const entries = Object.entries(weights) as [string, number][];
			const total = entries.reduce((s, [, w]) => s + w, 0);
			let r = next() * total;
			for (const [k, w] of entries) {
				r -= w;
				if (r < 0) return k as never;
			}
			return entries[entries.length - 1][0] as never;
		},
		chance: (p) => next() < p
	};
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An id in the layout of domain `newId` (time, then randomness) drawn from `random`. */
export function seededId(random: Random, time: number): string {
	let head = '';
	let t = Math.floor(time);
	for (let i = 0; i < 10; i++) {
		head = ALPHABET[t % 32] + head;
		t = Math.floor(t / 32);
	}
	let tail = '';
	for (let i = 0; i < 16; i++) tail += ALPHABET[random.int(0, 31)];
	return head + tail;
}
