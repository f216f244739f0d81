/**
 * Path containment, shared by discovery (a folder link must not lead back into the tree being walked) and
 * by the files a scenario names (they must stay inside its folder unless the scenario opts out).
 */
import { isAbsolute, relative, sep } from 'node:path';

/** Whether `inner` is `outer` itself or below it. Both should be real paths (symlinks resolved). */
export function isWithin(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
