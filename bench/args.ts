/**
 * The benchmark's command line, checked before anything starts: a bad flag is a clear error naming the flag
 * and what to give instead, not a half-run bench. Pure (no git, no Docker), so it is unit-tested.
 */
import { parseArgs } from 'node:util';

/** A bad command line: the message names the flag and what to do. */
export class BenchArgError extends Error {
  readonly code = 'BENCH_BAD_ARGUMENT';
  override readonly name = 'BenchArgError';
}

export interface BenchArgs {
  quick: boolean;
  dockerOnly: boolean;
  /** Section 5 alone (with `against`, the comparison alone). */
  libraryOnly: boolean;
  profile: boolean;
  /** Runs per timed figure; the library comparison alternates min(runs, 2) pairs. */
  runs: number;
  reportDir: string;
  /** A revision to time the library against (a worktree of it), as given: resolved with git later. */
  against: string | null;
}

/** Longest revision text accepted: a ref name or an expression like `main~3`, never a paragraph. */
const MAX_REVISION = 200;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        'docker-only': { type: 'boolean', default: false },
        'library-only': { type: 'boolean', default: false },
        runs: { type: 'string', default: '5' },
        'report-dir': { type: 'string', default: 'reports' },
        profile: { type: 'boolean', default: false },
        against: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new BenchArgError(`${error instanceof Error ? error.message : String(error)}. Flags: --quick, --runs N, --profile, --docker-only, --library-only, --against REV, --report-dir DIR.`);
  }
  const runs = Number(values.runs);
  if (!/^\d+$/.test(values.runs) || !Number.isInteger(runs) || runs < 1) throw new BenchArgError(`--runs must be a whole number ≥ 1, got ${JSON.stringify(values.runs)}`);
  const only = [values['docker-only'] && '--docker-only', values['library-only'] && '--library-only', values.profile && '--profile'].filter((x) => x !== false);
  if (only.length > 1) throw new BenchArgError(`${only.join(' and ')} each run one part of the bench alone: give one of them.`);
  const against = values.against === undefined ? null : checkRevision(values.against);
  if (against !== null && (values['docker-only'] || values.profile)) {
    throw new BenchArgError(`--against times the scenario library (section 5): it goes with the full bench or --library-only, not ${only[0]}.`);
  }
  return { quick: values.quick, dockerOnly: values['docker-only'], libraryOnly: values['library-only'], profile: values.profile, runs, reportDir: values['report-dir'], against };
}

/**
 * What `--against` may be before git sees it: a revision as one argv word. A leading `-` would read as a
 * git option; whitespace or control characters are no revision git accepts and would garble the report.
 */
export function checkRevision(rev: string): string {
  const fix = 'give a commit hash, tag or branch, e.g. --against v0.1.0 or --against main~1';
  if (rev.length === 0) throw new BenchArgError(`--against needs a revision: ${fix}.`);
  if (rev.length > MAX_REVISION) throw new BenchArgError(`--against: a revision of ${rev.length} characters is not one (at most ${MAX_REVISION}): ${fix}.`);
  if (rev.startsWith('-')) throw new BenchArgError(`--against ${JSON.stringify(rev)}: a revision cannot start with "-" (git would read an option): ${fix}.`);
  if (/[\s\u0000-\u001f\u007f]/.test(rev)) throw new BenchArgError(`--against ${JSON.stringify(rev)}: a revision has no spaces or control characters: ${fix}.`);
  return rev;
}

/** Library runs per side: previous, current, previous, current at --runs ≥ 2; one each at --runs 1. */
export function libraryPairs(runs: number): number {
  return Math.min(runs, 2);
}
