import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { awarenessClients } from './PresenceExtension.ts';

/** A Hocuspocus frame: document name, type, then the awareness update of `ids`. */
function frame(type: number, ids: number[]): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, ids.length);
	for (const id of ids) {
		encoding.writeVarUint(inner, id);
		encoding.writeVarUint(inner, 1);
		encoding.writeVarString(inner, JSON.stringify({ user: { name: 'x' } }));
	}
	const e = encoding.createEncoder();
	encoding.writeVarString(e, 'grid:g1');
	encoding.writeVarUint(e, type);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

describe('awarenessClients', () => {
	it('reads the client ids an awareness frame carries, and nothing from other frames', () => {
		expect(awarenessClients(frame(1, [7, 4_000_000_000]))).toEqual(new Set([7, 4_000_000_000]));
		expect(awarenessClients(frame(0, [7]))).toBeNull(); // a sync message
		expect(awarenessClients(frame(1, [7]).slice(0, 12))).toEqual(new Set()); // cut short: none
	});
});
