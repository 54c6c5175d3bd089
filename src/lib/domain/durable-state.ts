/**
 * The stateless exchange by which a device learns what the server holds durably of one
 * document: the device asks, the server answers with the state vector of what its update log
 * holds, or with `null` ("not yet") while updates it has applied in memory are still waiting
 * to be logged. Only such an answer may tell a device that its edits are safe on the server.
 */

export const DURABLE_STATE_TYPE = 'durableState';

export interface DurableStateAnswer {
	/** The logged state vector (Yjs encoding), or null while the log lags behind memory. */
	stateVector: Uint8Array | null;
}

export function encodeDurableStateQuery(): string {
	return JSON.stringify({ type: DURABLE_STATE_TYPE });
}

/** Whether a stateless payload is the device's question (as opposed to anything else). */
export function isDurableStateQuery(payload: string): boolean {
	const o = parseObject(payload);
	return o?.type === DURABLE_STATE_TYPE && !('stateVector' in o);
}

export function encodeDurableStateAnswer(stateVector: Uint8Array | null): string {
	return JSON.stringify({ type: DURABLE_STATE_TYPE, stateVector: stateVector === null ? null : toBase64(stateVector) });
}

/** The server's answer, or undefined if the payload is not one (or is malformed). */
export function parseDurableStateAnswer(payload: string): DurableStateAnswer | undefined {
	const o = parseObject(payload);
	if (o?.type !== DURABLE_STATE_TYPE || !('stateVector' in o)) return undefined;
	if (o.stateVector === null) return { stateVector: null };
	if (typeof o.stateVector !== 'string') return undefined;
	const bytes = fromBase64(o.stateVector);
	return bytes ? { stateVector: bytes } : undefined;
}

function parseObject(payload: string): Record<string, unknown> | undefined {
	try {
		const o: unknown = JSON.parse(payload);
		return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

function fromBase64(text: string): Uint8Array | undefined {
	try {
		const s = atob(text);
		const bytes = new Uint8Array(s.length);
		for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
		return bytes;
	} catch {
		return undefined;
	}
}
