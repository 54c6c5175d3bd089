import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	encodeDurableStateAnswer,
	encodeDurableStateQuery,
	isDurableStateQuery,
	parseDurableStateAnswer
} from './durable-state.ts';

describe('durable-state messages', () => {
	it('round-trips a state vector through the answer', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		doc.getMap('m').set('b', 2);
		const sv = Y.encodeStateVector(doc);
		const answer = parseDurableStateAnswer(encodeDurableStateAnswer(sv));
		expect(answer?.stateVector).toEqual(sv);
		expect(Y.decodeStateVector(answer!.stateVector!).get(doc.clientID)).toBe(2);
	});

	it('carries "not yet" as null', () => {
		expect(parseDurableStateAnswer(encodeDurableStateAnswer(null))).toEqual({ stateVector: null });
	});

	it('tells the question from the answer and from anything else', () => {
		expect(isDurableStateQuery(encodeDurableStateQuery())).toBe(true);
		expect(isDurableStateQuery(encodeDurableStateAnswer(null))).toBe(false);
		expect(isDurableStateQuery('hello')).toBe(false);
		expect(parseDurableStateAnswer(encodeDurableStateQuery())).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"other","stateVector":null}')).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"durableState","stateVector":42}')).toBeUndefined();
		expect(parseDurableStateAnswer('{"type":"durableState","stateVector":"%%%"}')).toBeUndefined();
		expect(parseDurableStateAnswer('not json')).toBeUndefined();
	});
});
