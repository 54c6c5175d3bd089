/**
 * The rules of each rule-guarded document kind, by kind (design.md §9): pure functions of the
 * state before, the state after, what changed (doc-change.ts) and who acts, returning the
 * rules broken. One server extension (server/collab/RulesExtension.ts) judges every update of
 * a guarded document with them; a kind without an entry here has no rules beyond access
 * (disputes join by adding theirs).
 */
import type * as Y from 'yjs';
import type { DocChange } from './doc-change.ts';
import type { DocKind } from './doc-names.ts';
import { gridRules } from './grid-rules.ts';
import type { Role } from './roles.ts';
import { sessionRules } from './session-rules.ts';

/** Who sends an update, as the server knows them. */
export interface Actor {
	userId: string;
	/** The roles the user holds at this document's place (memberships that cover it). */
	roles: readonly Role[];
	/** The server's receive time (ISO): the clock that decides races. */
	now: string;
}

export interface Judgement {
	/** The rules broken: empty when none. */
	violations: string[];
	/**
	 * What the server writes itself once the accepted update is applied (receive times of
	 * claims, the tally of a closed vote), as a mutation of the live document; null for nothing.
	 */
	followUp: ((live: Y.Doc) => void) | null;
}

export interface DocRules {
	/** Judges `actor` turning `before` into `after` (`change` says where). */
	judge(before: Y.Doc, after: Y.Doc, change: DocChange, actor: Actor): Judgement;
}

export const RULES: Partial<Record<DocKind, DocRules>> = {
	grid: gridRules,
	session: sessionRules
};

export function rulesFor(kind: DocKind): DocRules | null {
	return RULES[kind] ?? null;
}
