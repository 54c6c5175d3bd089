import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { captureChange, hasPending } from './doc-change.ts';

function twoUpdates(base: Y.Doc, first: (d: Y.Doc) => void, second: (d: Y.Doc) => void): [Uint8Array, Uint8Array] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
	const out: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => out.push(u));
	first(copy);
	second(copy);
	return [out[0], out[1]];
}

describe('what an update does once integrated', () => {
	it('names the top-level key under which a nested value changed, and the overwritten key', () => {
		const doc = new Y.Doc();
		const inner = new Y.Map<unknown>();
		doc.getMap('households').set('h1', inner);
		inner.set('phone', '1');
		doc.getMap('meta').set('name', 'a');
		const change = captureChange(doc, () =>
			doc.transact(() => {
				inner.set('phone', '2');
				doc.getMap('meta').set('name', 'b');
			})
		);
		expect([...change.roots].sort()).toEqual(['households', 'meta']);
		expect([...change.keys.get('households')!]).toEqual(['h1']);
		expect([...change.keys.get('meta')!]).toEqual(['name']);
		expect(change.anyDeletion).toBe(true); // the overwritten values
	});

	it('lists the elements appended to an array root and counts the ones deleted', () => {
		const doc = new Y.Doc();
		doc.getArray('visits').push([{ id: 'v1' }, { id: 'v2' }]);
		const change = captureChange(doc, () =>
			doc.transact(() => {
				doc.getArray('visits').push([{ id: 'v3' }]);
				doc.getArray('visits').delete(0, 1);
			})
		);
		expect(change.inserted.get('visits')).toEqual([{ id: 'v3' }]);
		expect(change.deleted.get('visits')).toBe(1);
	});

	it('holds what a gap-filling update releases from pending, and tells when structs stay pending', () => {
		const doc = new Y.Doc();
		doc.getMap('votes');
		const [typing, vote] = twoUpdates(
			doc,
			(d) => d.getText('minutes:a').insert(0, '记录'),
			(d) => d.getMap('votes').set('u-other', 'for')
		);
		const held = captureChange(doc, () => Y.applyUpdate(doc, vote));
		expect(held.roots.size).toBe(0); // changes nothing yet…
		expect(hasPending(doc)).toBe(true);
		const released = captureChange(doc, () => Y.applyUpdate(doc, typing));
		expect([...released.roots].sort()).toEqual(['minutes:a', 'votes']); // …and everything once released
		expect(hasPending(doc)).toBe(false);
	});
});
