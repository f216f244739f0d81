/**
 * The results document every report is rendered from: results.json as written, with what says where the
 * results come from (fwprobe's version, the image, when the run started and ended, a sha256 of each
 * applied ruleset). One order for everything: by file, then name, so two runs of the same scenarios diff cleanly.
 */
import { createHash } from 'node:crypto';
import type { AppliedRuleset } from '../model/ruleset.ts';
import type { Mismatch } from '../model/observation.ts';
import type { ParityFinding } from '../verdict/types.ts';
import type { ScenarioResult } from './result.ts';
import { problemsOf, verdictTextOf } from './verdict-format.ts';
import { FWPROBE_VERSION } from '../model/version.ts';

/**
 * One scenario's result in results.json: the result, the hashes of the rulesets it applied, and the v1
 * fields rendered from its verdict when the document is built (scripts read them; renderers never do, they
 * render from `verdict` themselves).
 */
export type ScenarioEntry = ScenarioResult & {
  /** sha256 (hex) of each applied ruleset as the kernel had it (`applied.v4`, `applied.v6`); null when none was applied. */
  appliedSha256: { v4: string; v6: string } | null;
  /** `verdict.mismatches` (results.json v1). */
  mismatches: Mismatch[];
  /** `verdict.parity` (results.json v1). */
  parity: ParityFinding[];
  /** Every reason the verdict failed, one message each, rendered from `verdict`. */
  problems: string[];
  /** The verdict as readable text (mismatches, parity findings, unverified rules, unchecked ports). */
  verdictText: string;
};

/** results.json, version 1. Field names are a contract with users' scripts: add fields, never rename. */
export interface ResultsDocument {
  version: 1;
  /** The fwprobe that wrote it. */
  fwprobe: { version: string };
  /** The target image(s) the scenarios ran in, sorted; empty when none ran. */
  images: string[];
  /** When the run started (ISO 8601), when the caller says; else the same as generatedAt. */
  startedAt: string;
  generatedAt: string;
  summary: { passed: number; failed: number; error: number };
  scenarios: ScenarioEntry[];
  /**
   * Present when the run was stopped (a signal, or vitest's own interruption): the scenarios listed are only
   * those that had finished, so the summary is not the run's. Every report says so.
   */
  interrupted?: { signal: string };
}

/** What the caller knows that the results do not. */
export interface ResultsMeta {
  /** When the run started. @default the time the document is built */
  startedAt?: Date;
  /** When the document is built (fixed in tests). @default now */
  now?: Date;
  /** The signal (or `interrupted`) that stopped the run before every scenario finished. @default not interrupted */
  interrupted?: string;
}

/** Results sorted by file, then name. */
export function sortResults<T extends Pick<ScenarioResult, 'file' | 'name'>>(results: readonly T[]): T[] {
  return [...results].sort((a, b) => compare(a.file, b.file) || compare(a.name, b.name));
}

// Code-point order, not the locale's: the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hashes(applied: AppliedRuleset | null): ScenarioEntry['appliedSha256'] {
  return applied ? { v4: sha256(applied.v4), v6: sha256(applied.v6) } : null;
}

export function buildResultsDocument(results: readonly ScenarioResult[], meta: ResultsMeta = {}): ResultsDocument {
  const scenarios = sortResults(results).map((r): ScenarioEntry => ({
    ...r,
    appliedSha256: hashes(r.applied),
    mismatches: r.verdict?.mismatches ?? [],
    parity: r.verdict?.parity ?? [],
    problems: problemsOf(r),
    verdictText: verdictTextOf(r),
  }));
  const count = (status: ScenarioResult['status']) => scenarios.filter((s) => s.status === status).length;
  const now = meta.now ?? new Date();
  return {
    version: 1,
    fwprobe: { version: FWPROBE_VERSION },
    images: [...new Set(scenarios.flatMap((s) => (s.image ? [s.image] : [])))].sort(),
    startedAt: (meta.startedAt ?? now).toISOString(),
    generatedAt: now.toISOString(),
    summary: { passed: count('passed'), failed: count('failed'), error: count('error') },
    scenarios,
    ...(meta.interrupted === undefined ? {} : { interrupted: { signal: meta.interrupted } }),
  };
}

/** The one sentence every report opens with when the run was stopped; null when it was not. */
export function interruptedText(doc: Pick<ResultsDocument, 'interrupted' | 'scenarios'>): string | null {
  if (!doc.interrupted) return null;
  return `Run interrupted (${doc.interrupted.signal}): only the ${doc.scenarios.length} scenario(s) that had finished are here; the others never gave a verdict.`;
}
