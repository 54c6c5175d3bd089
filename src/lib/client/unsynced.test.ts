import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clientsAhead, unsyncedEdits } from './unsynced.ts';

describe('unsyncedEdits', () => {
	it('counts local items written after the confirmed state vector', () => {
		const doc = new Y.Doc();
		const m = doc.getMap('m');
		m.set('a', 1);
		const confirmed = Y.encodeStateVector(doc);
		m.set('b', 2);
		m.set('c', 3);
		expect(unsyncedEdits(Y.encodeStateVector(doc), confirmed, [doc.clientID])).toBe(2);
		expect(unsyncedEdits(Y.encodeStateVector(doc), Y.encodeStateVector(doc), [doc.clientID])).toBe(0);
	});

	it('ignores items from clients that did not write on this device', () => {
		const server = new Y.Doc();
		server.getMap('m').set('x', 1);
		const device = new Y.Doc();
		Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
		expect(unsyncedEdits(Y.encodeStateVector(device), undefined, [device.clientID])).toBe(0);
		device.getMap('m').set('y', 2);
		expect(unsyncedEdits(Y.encodeStateVector(device), undefined, [device.clientID])).toBe(1);
	});

	it('keeps counting edits of an earlier client id after a reload', () => {
		const before = new Y.Doc();
		before.getMap('m').set('a', 1);
		const after = new Y.Doc();
		Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
		expect(unsyncedEdits(Y.encodeStateVector(after), undefined, [before.clientID, after.clientID])).toBe(1);
	});
});

describe('clientsAhead', () => {
	it('keeps only the local clients with items beyond the confirmed state vector', () => {
		const first = new Y.Doc();
		first.getMap('m').set('a', 1);
		const second = new Y.Doc();
		Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
		const confirmed = Y.encodeStateVector(second);
		second.getMap('m').set('b', 2);
		const local = Y.encodeStateVector(second);
		expect(clientsAhead(local, confirmed, [first.clientID, second.clientID, second.clientID])).toEqual([second.clientID]);
		expect(clientsAhead(local, local, [first.clientID, second.clientID])).toEqual([]);
	});

	it('keeps a client the confirmation does not mention at all', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		expect(clientsAhead(Y.encodeStateVector(doc), new Uint8Array([0]), [doc.clientID])).toEqual([doc.clientID]);
	});
});
