import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	deletionRanges,
	deletionsHeld,
	encodeDurableStateAnswer,
	encodeDurableStateQuery,
	isDurableStateQuery,
	parseDurableStateAnswer,
	parseDurableStateQuery
} from './durable-state.ts';

describe('durable-state messages', () => {
	it('round-trips a state vector through the answer', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		doc.getMap('m').set('b', 2);
		const sv = Y.encodeStateVector(doc);
		const answer = parseDurableStateAnswer(encodeDurableStateAnswer(0, sv, false));
		expect(answer?.stateVector).toEqual(sv);
		expect(Y.decodeStateVector(answer!.stateVector!).get(doc.clientID)).toBe(2);
	});

	it('carries "not yet" as null', () => {
		expect(parseDurableStateAnswer(encodeDurableStateAnswer(3, null, false))).toEqual({ id: 3, stateVector: null, deletionsHeld: false });
	});

	it('tells the question from the answer and from anything else', () => {
		expect(isDurableStateQuery(encodeDurableStateQuery())).toBe(true);
		expect(isDurableStateQuery(encodeDurableStateAnswer(0, null, false))).toBe(false);
		expect(isDurableStateQuery('hello')).toBe(false);
		expect(parseDurableStateAnswer(encodeDurableStateQuery())).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"other","stateVector":null}')).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"durableState","stateVector":42}')).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"durableState","stateVector":"%%%"}')).toBeUndefined();
		expect(parseDurableStateAnswer('not json')).toBeUndefined();
	});
});

describe('deletions in the durable-state exchange', () => {
	it('carries the question id and ranges, and echoes the id with the answer', () => {
		const q = parseDurableStateQuery(encodeDurableStateQuery(7, [[1, 2, 3]]));
		expect(q).toEqual({ id: 7, deletions: [[1, 2, 3]] });
		const a = parseDurableStateAnswer(encodeDurableStateAnswer(7, new Uint8Array([0]), true));
		expect(a).toEqual({ id: 7, stateVector: new Uint8Array([0]), deletionsHeld: true });
		// "not yet" never holds deletions
		expect(parseDurableStateAnswer(encodeDurableStateAnswer(7, null, true))?.deletionsHeld).toBe(false);
	});

	it('reads malformed ranges as a question nothing can hold', () => {
		const doc = new Y.Doc();
		for (const bad of ['[[1,2]]', '[[1,2,-3]]', '[[1,2,0]]', '"x"', '[[1.5,2,3]]']) {
			const q = parseDurableStateQuery(`{"type":"durableState","id":1,"deletions":${bad}}`);
			expect(q).toBeDefined();
			expect(deletionsHeld(doc, q!.deletions)).toBe(false);
		}
	});

	it('finds the ranges an update deletes and whether a document has them deleted', () => {
		const device = new Y.Doc();
		const text = device.getText('t');
		text.insert(0, 'abcdefgh');
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
		let deletion: Uint8Array | undefined;
		device.once('update', (u: Uint8Array) => (deletion = u));
		text.delete(2, 3);
		const ranges = deletionRanges(deletion!);
		expect(ranges).toEqual([[device.clientID, 2, 3]]);
		expect(deletionsHeld(server, ranges)).toBe(false);
		expect(deletionsHeld(device, ranges)).toBe(true);
		Y.applyUpdate(server, deletion!);
		expect(deletionsHeld(server, ranges)).toBe(true);
		// a longer range than was deleted, or items the document never had, are not held
		expect(deletionsHeld(server, [[device.clientID, 2, 4]])).toBe(false);
		expect(deletionsHeld(server, [[device.clientID + 1, 0, 1]])).toBe(false);
		expect(deletionsHeld(server, [])).toBe(true);
	});

	it('holds a range covered by several adjacent deletions', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'abcdefgh');
		text.delete(2, 1);
		text.delete(2, 1);
		expect(deletionsHeld(doc, [[doc.clientID, 2, 2]])).toBe(true);
	});
});
