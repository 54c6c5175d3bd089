import { describe, expect, it } from 'vitest';
import { buildDocName, DOC_KINDS, docId, gridDocName, isValidId, parseDocName, type DocName } from './doc-names.ts';

const SAMPLES: DocName[] = [
	{ kind: 'grid', gridId: 'g1' },
	{ kind: 'gridRestricted', gridId: 'g1' },
	{ kind: 'session', sessionId: '01JD5Z8M3K7Q2W9X4R6T8V0B1C' },
	{ kind: 'dispute', disputeId: 'd-42_x' },
	{ kind: 'directory', communityId: 'c1' }
];

describe('document names', () => {
	it('round-trips every kind through build and parse', () => {
		expect(SAMPLES.map((s) => s.kind).sort()).toEqual([...DOC_KINDS].sort());
		for (const name of SAMPLES) expect(parseDocName(buildDocName(name))).toEqual(name);
	});

	it('names a grid and its restricted notes as two different documents', () => {
		expect(gridDocName('g1')).toBe('grid:g1');
		expect(buildDocName({ kind: 'gridRestricted', gridId: 'g1' })).toBe('grid:g1:restricted');
		expect(parseDocName('grid:g1:restricted')).toEqual({ kind: 'gridRestricted', gridId: 'g1' });
	});

	it('gives back the id a name carries', () => {
		expect(SAMPLES.map(docId)).toEqual(['g1', 'g1', '01JD5Z8M3K7Q2W9X4R6T8V0B1C', 'd-42_x', 'c1']);
	});

	const hostile: unknown[] = [
		'grid:../x',
		'grid:..',
		'grid:./g1',
		'grid:g1/../../etc/passwd',
		'grid:%2e%2e%2fx',
		'grid:g1\\..\\x',
		'',
		'grid:',
		'grid',
		':g1',
		'grid:a:b:c',
		'grid:g1:restricted:x',
		'grid:g1:Restricted',
		'GRID:g1',
		' grid:g1',
		'grid:g1 ',
		'grid:g1\n',
		'grid:g1\u0000',
		'grid:g\u00e91',
		'grid:网格一',
		'grid:g1\u200b',
		'grid:ｇ1',
		'session:<script>alert(1)</script>',
		"dispute:1' OR '1'='1",
		'directory:c1;DROP TABLE users',
		'unknown:g1',
		'grid:' + 'a'.repeat(65),
		'grid:' + 'x'.repeat(10_240),
		'x'.repeat(10_240),
		'grid:__proto__',
		'directory:constructor',
		'session:prototype',
		'grid:toString',
		'dispute:hasOwnProperty',
		'__proto__',
		null,
		undefined,
		42,
		{},
		['grid:g1'],
		{ toString: () => 'grid:g1' },
		new String('grid:g1'),
		Symbol('grid:g1')
	];

	it.each(hostile.map((h) => [typeof h === 'symbol' ? h.toString() : JSON.stringify(h)?.slice(0, 60) ?? String(h), h]))(
		'refuses %s',
		(_label, raw) => {
			expect(parseDocName(raw)).toBeNull();
		}
	);

	it('accepts an id of exactly 64 characters and no more', () => {
		expect(parseDocName('grid:' + 'a'.repeat(64))).toEqual({ kind: 'grid', gridId: 'a'.repeat(64) });
		expect(parseDocName('grid:' + 'a'.repeat(65))).toBeNull();
	});

	it('never builds a name from a bad id', () => {
		for (const bad of ['', '../x', 'a:b', 'a'.repeat(65), '网格', 'g1\n', '__proto__']) {
			expect(() => buildDocName({ kind: 'grid', gridId: bad })).toThrow();
			expect(isValidId(bad)).toBe(false);
		}
		expect(() => buildDocName({ kind: 'session', sessionId: 42 as unknown as string })).toThrow();
	});
});
