/**
 * Time-ordered random ids, made on the device.
 *
 * Records are created offline on many tablets at once, so ids cannot come from a server
 * sequence. An id is 10 Crockford base32 characters of milliseconds since the epoch followed
 * by 16 characters of randomness (80 bits), the ULID layout: ids sort by creation time, and two
 * devices collide only with negligible probability. `crypto.getRandomValues` exists in both
 * browsers and Node, so this module needs neither.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new id such as `01JD5Z8M3K7Q2W9X4R6T8V0B1C`. */
export function newId(now: number = Date.now()): string {
	let time = '';
	let t = Math.floor(now);
	for (let i = 0; i < 10; i++) {
		time = ALPHABET[t % 32] + time;
		t = Math.floor(t / 32);
	}
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	let random = '';
	for (const b of bytes) random += ALPHABET[b % 32];
	return time + random;
}

/** The creation time encoded in an id made by `newId`, in ms since the epoch. */
export function idTime(id: string): number {
	let t = 0;
	for (const ch of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(ch);
	return t;
}
