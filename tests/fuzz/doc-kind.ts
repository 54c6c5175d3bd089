/**
 * What the convergence fuzzer needs to know about a kind of document. Each kind (grids today,
 * sessions and disputes later) registers its roots, its named mutations from src/lib/domain,
 * and its readers; the fuzzer itself knows nothing about households or colours.
 */
import type * as Y from 'yjs';
import type { Rng } from './rng.ts';

/** What a fuzz operation did: changed the document, or was refused by the domain as it should be. */
export type OpOutcome = 'applied' | 'refused';

export interface FuzzOp {
	/** Relative frequency among the kind's operations. */
	weight: number;
	/**
	 * Runs one named mutation with random input on `doc`. `actor` identifies the simulated
	 * user. Returns 'refused' when it deliberately tried invalid input and the domain refused it.
	 */
	run(doc: Y.Doc, rng: Rng, actor: string): OpOutcome;
}

export interface FuzzDocKind {
	name: string;
	/** Every root of the document and its type, so replicas are compared root by root. */
	roots: Readonly<Record<string, 'map' | 'array' | 'text'>>;
	ops: Readonly<Record<string, FuzzOp>>;
	/** Everything the domain readers give back, in a form that must be equal on every replica. */
	read(doc: Y.Doc): unknown;
	/** Throws if the document breaks one of the kind's own rules. */
	checkInvariants(doc: Y.Doc): void;
}

/** The raw content of every root, for comparison in canonical form. */
export function rootsJson(kind: FuzzDocKind, doc: Y.Doc): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, type] of Object.entries(kind.roots)) {
		out[name] =
			type === 'map' ? doc.getMap(name).toJSON() : type === 'array' ? doc.getArray(name).toJSON() : doc.getText(name).toString();
	}
	return out;
}
