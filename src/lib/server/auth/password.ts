/**
 * Password hashing with argon2id (Node 24's built-in `crypto.argon2`, no native package).
 *
 * Stored as a PHC string, `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (base64 without
 * padding), so the parameters travel with each hash and can be raised later without breaking
 * old ones. The defaults are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane).
 */
import { argon2, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64IgnorePadding, encodeBase64NoPadding } from '@oslojs/encoding';

export interface Argon2Params {
	memory: number; // KiB
	passes: number;
	parallelism: number;
}

export const DEFAULT_PARAMS: Argon2Params = { memory: 19456, passes: 2, parallelism: 1 };
const TAG_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Uint8Array, p: Argon2Params, tagLength: number): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		argon2(
			'argon2id',
			{ message: password, nonce: salt, parallelism: p.parallelism, tagLength, memory: p.memory, passes: p.passes },
			(err, key) => (err ? reject(err) : resolve(new Uint8Array(key)))
		);
	});
}

/** The PHC-encoded argon2id hash of `password` with a fresh random salt. */
export async function hashPassword(password: string, params: Argon2Params = DEFAULT_PARAMS): Promise<string> {
	const salt = new Uint8Array(randomBytes(SALT_LENGTH));
	const hash = await derive(password, salt, params, TAG_LENGTH);
	return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${encodeBase64NoPadding(salt)}$${encodeBase64NoPadding(hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

/** Whether `password` matches the PHC string `encoded`; false (never a throw) for a malformed one. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const m = PHC.exec(encoded);
	if (!m) return false;
	const params = { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) };
	let salt: Uint8Array;
	let expected: Uint8Array;
	try {
		salt = decodeBase64IgnorePadding(m[4]);
		expected = decodeBase64IgnorePadding(m[5]);
	} catch {
		return false;
	}
	const actual = await derive(password, salt, params, expected.length);
	return constantTimeEqual(actual, expected);
}
