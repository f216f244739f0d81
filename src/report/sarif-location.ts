/**
 * Where a SARIF result points, so that code scanning opens the line to fix: the user's file and line that
 * decided the port (from attribution) when it is a file of the repository, else the scenario's own line.
 * URIs are relative to the repository root (`%SRCROOT%`), which is how GitHub resolves them against the
 * checkout, whatever folder fwprobe ran in; results.json paths are relative to that folder.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Attribution } from '../model/attribution.ts';
import type { Observation, PortState } from '../model/observation.ts';
import type { ParityFinding } from '../verdict/types.ts';
import { hostOf } from './columns.ts';

/** Where the results' paths are relative to, and what SARIF's URIs are relative to. */
export interface SarifPaths {
  /** The folder the results' file paths are relative to. @default process.cwd() */
  cwd: string;
  /** The repository root, `%SRCROOT%`. @default the nearest folder at or above `cwd` holding `.git`, else `cwd` */
  root: string;
}

export function sarifPaths(cwd = process.cwd()): SarifPaths {
  return { cwd, root: repositoryRoot(cwd) };
}

/** The nearest folder at or above `from` with a `.git` (a folder, or a file in a worktree or submodule). */
export function repositoryRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A file as code scanning finds it: relative to the repository root, or an absolute `file://` URI outside it. */
export function artifactOf(file: string, paths: SarifPaths): ArtifactLocation {
  const absolute = resolve(paths.cwd, file);
  const rel = inside(paths.root, absolute);
  if (rel === null) return { uri: pathToFileURL(absolute).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A rule's place in a file of the repository, as attribution names it. */
export interface RuleLine {
  file: string;
  line: number;
  /** The rule or policy, one line (attributionText). */
  attribution: Attribution;
}

/**
 * The file and line of the rule that decided an observation, when attribution names a line of a regular
 * file inside the repository. Generated text (`preset … (generated rules.v4)`), a script's rules (no line)
 * and anything read back from a results.json that does not hold up are not a place to fix: null.
 */
export function decidingLine(observation: Observation | undefined, paths: SarifPaths): RuleLine | null {
  const a = observation?.attribution;
  if (!a || typeof a !== 'object' || a.undecided !== undefined || !Array.isArray(a.path)) return null;
  const { file, line } = (a.source ?? {}) as { file?: unknown; line?: unknown };
  if (typeof file !== 'string' || file === '' || typeof line !== 'number' || !Number.isInteger(line) || line < 1) return null;
  const absolute = resolve(paths.cwd, file);
  if (inside(paths.root, absolute) === null || !isFile(absolute)) return null;
  return { file, line, attribution: a };
}

/** The observation a mismatch or a parity side is about. */
export function observationAt(observations: readonly Observation[], at: { vantage?: string; host?: string; family?: string; protocol?: string; port?: number }): Observation | undefined {
  const host = hostOf(at);
  return observations.find((o) => o.vantage === at.vantage && hostOf(o) === host && o.family === at.family && o.protocol === at.protocol && o.port === at.port);
}

// The more open side of a parity finding is the one to fix (usually IPv6's ACCEPT policy or missing rule).
const OPENNESS: Partial<Record<PortState, number>> = { open: 3, delivered: 3, 'open|filtered': 2, closed: 1, unfiltered: 1 };

/** The family whose rule let more through, IPv6 on a tie. */
export function moreOpenFamily(f: Pick<ParityFinding, 'ipv4' | 'ipv6'>): 'ipv4' | 'ipv6' {
  return (OPENNESS[f.ipv4.state] ?? 0) > (OPENNESS[f.ipv6.state] ?? 0) ? 'ipv4' : 'ipv6';
}

function inside(root: string, absolute: string): string | null {
  const rel = relative(root, absolute);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? null : rel;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    // Not there (or not readable): not a repository marker.
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // A file that is gone cannot be opened by code scanning either.
    return false;
  }
}
