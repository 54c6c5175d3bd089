import { describe, expect, it } from 'vitest';
import { MessageType } from '@hocuspocus/provider';
import * as encoding from 'lib0/encoding';
import { writeSyncStep1, writeSyncStep2, writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { isDocumentUpdate } from './offline-queue.ts';

function frame(type: MessageType, write: (e: encoding.Encoder) => void = () => {}): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, 'grid:g1');
	encoding.writeVarUint(e, type);
	write(e);
	return encoding.toUint8Array(e);
}

describe('isDocumentUpdate', () => {
	const doc = new Y.Doc();
	doc.getMap('meta').set('name', '一网格');
	const update = Y.encodeStateAsUpdate(doc);

	it('is true for a document update only', () => {
		expect(isDocumentUpdate(frame(MessageType.Sync, (e) => writeUpdate(e, update)))).toBe(true);
	});

	it('is false for the handshake, awareness, stateless and authentication messages', () => {
		expect(isDocumentUpdate(frame(MessageType.Sync, (e) => writeSyncStep1(e, doc)))).toBe(false);
		expect(isDocumentUpdate(frame(MessageType.Sync, (e) => writeSyncStep2(e, doc)))).toBe(false);
		expect(isDocumentUpdate(frame(MessageType.Awareness, (e) => encoding.writeVarUint8Array(e, new Uint8Array([0]))))).toBe(false);
		expect(isDocumentUpdate(frame(MessageType.Stateless, (e) => encoding.writeVarString(e, '{}')))).toBe(false);
		expect(isDocumentUpdate(frame(MessageType.Auth, (e) => encoding.writeVarString(e, 'token')))).toBe(false);
	});

	it('is false for anything unreadable or not bytes', () => {
		expect(isDocumentUpdate(new Uint8Array([]))).toBe(false);
		expect(isDocumentUpdate(new Uint8Array([200]))).toBe(false);
		expect(isDocumentUpdate('grid:g1')).toBe(false);
	});
});
