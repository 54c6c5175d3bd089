import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unsyncedEdits } from './unsynced.ts';

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
