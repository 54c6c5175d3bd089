/** Every document kind the convergence fuzzer exercises. Sessions and disputes plug in here. */
import type { FuzzDocKind } from './doc-kind.ts';
import { gridKind } from './grid-kind.ts';
import { liaisonKind } from './liaison-kind.ts';
import { sessionKind } from './session-kind.ts';

export const FUZZ_KINDS: readonly FuzzDocKind[] = [gridKind, liaisonKind, sessionKind];
