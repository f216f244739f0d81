/**
 * What a failing scenario test says under vitest: only the ports of its own slice that differ, one line
 * each with the rule that decided them, and a stack whose first frame is the scenario file's line, so
 * that vitest's code frame shows the scenario rather than fwprobe's own source.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chai } from 'vitest';
import { attributionText } from '../model/attribution.ts';
import type { Family, Vantage } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from '../report/result.ts';
import { observationAt } from '../report/sarif-location.ts';
import { unverifiedText } from '../report/verdict-format.ts';

/** A place in the scenario file: 1-based line and column. */
export interface FileLine {
  line: number;
  column: number;
}

/** One failing port: its line of text, and where the scenario speaks of it (for the code frame). */
interface Problem {
  text: string;
  vantage: Vantage;
  port?: number;
}

/**
 * The ports of one vantage × family that differ, each as
 * `peer ipv6 tcp/22: expected not-open, observed open (syn-ack) — decided by <rule> [rules.v6:7]`.
 */
export function sliceLines(result: ScenarioResult, vantage: Vantage, family: Family): string[] {
  return sliceProblems(result, vantage, family).map((p) => p.text);
}

function sliceProblems(result: ScenarioResult, vantage: Vantage, family: Family): Problem[] {
  const verdict = result.verdict;
  if (!verdict) return [{ text: `no verdict was taken (status ${result.status})`, vantage }];
  const inSlice = (p: { vantage: Vantage; family: Family }) => p.vantage === vantage && p.family === family;
  const mismatches = verdict.mismatches.filter(inSlice).map((m) => {
    // The judge's message is `<port>: expected …, observed … (reason) ← <attribution>`; the rule is said again below.
    const head = m.message.split(' ← ')[0]!;
    const decided = observationAt(result.observations, m)?.attribution;
    const by = decided && decided.undecided === undefined ? ` — decided by ${attributionText(decided)}` : '';
    return { text: `${head}${by}`, vantage: m.vantage, port: m.port };
  });
  const missing = verdict.missing.filter(inSlice).map((m) => ({ text: m.message, vantage: m.vantage, port: m.port }));
  const others = verdict.othersMismatches.filter(inSlice).map((m) => ({ text: m.message, vantage: m.vantage }));
  return [...mismatches, ...missing, ...others];
}

/**
 * What the last test of a scenario checks: unexcused strict parity gaps, unverified rules, and (never
 * silently) a failed verdict whose reason no slice test showed.
 */
export function verdictLines(result: ScenarioResult, slices: ReadonlyArray<{ vantage: Vantage; family: Family }>): string[] {
  const verdict = result.verdict;
  if (!verdict) return [`no verdict was taken (status ${result.status})`];
  const gaps = verdict.parityMode === 'strict' ? verdict.parity.filter((f) => f.excusedBy === null).map((f) => `parity: ${f.message}`) : [];
  const declared = (p: { vantage: Vantage; family: Family }) => slices.some((s) => s.vantage === p.vantage && s.family === p.family);
  const problems = [...verdict.mismatches, ...verdict.missing, ...verdict.othersMismatches];
  const elsewhere = problems.filter((p) => !declared(p)).map((p) => p.message);
  const lines = [...gaps, ...verdict.unverified.map(unverifiedText), ...elsewhere];
  if (lines.length === 0 && problems.length === 0 && !verdict.passed) lines.push('the verdict failed, and no slice names why: see results.json (this is a bug in fwprobe, please report it)');
  return lines;
}

/**
 * An assertion error vitest prints as it is: the message, then a code frame at the scenario file's line
 * (its stack names that line first), no diff.
 */
export function scenarioFailure(message: string, scenarioFile: string, at: FileLine, label: string): Error {
  const error = new chai.AssertionError(message) as Error & { codeFrame?: string };
  const frame = `    at ${printable(label).replace(/[()]/g, '')} (${resolve(scenarioFile)}:${at.line}:${at.column})`;
  error.stack = `AssertionError: ${message}\n${frame}`;
  // vitest draws code frames only for modules it transformed; a scenario file gets its frame here.
  const code = codeFrame(scenarioFile, at);
  if (code) error.codeFrame = code;
  return error;
}

/** The line before `at`, its line and a caret under its column, as vitest draws code frames (kept short). */
export function codeFrame(file: string, at: FileLine): string | null {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;
  }
  if (at.line < 1 || at.line > lines.length) return null;
  const first = Math.max(1, at.line - 1);
  const width = String(at.line).length;
  const shown = lines.slice(first - 1, at.line).map((text, i) => `${String(first + i).padStart(width + 4)}| ${printable(text)}`);
  return [...shown, `${' '.repeat(width + 4)}| ${' '.repeat(Math.max(0, at.column - 1))}^`].join('\n');
}

/** The first slice problem's line in the scenario file (its vantage's block, then its port), else the `expect:` line. */
export function sliceFailure(result: ScenarioResult, vantage: Vantage, family: Family, label: string): Error | null {
  const problems = sliceProblems(result, vantage, family);
  if (problems.length === 0) return null;
  const first = problems[0]!;
  const at = lineOf(result, first.vantage, first.port) ?? { line: result.lines?.expect ?? 1, column: 1 };
  return scenarioFailure(problems.map((p) => p.text).join('\n'), result.file, at, label);
}

/** Where the scenario file names `port` under `vantage`'s expectations; null when it cannot be told. */
export function lineOf(result: Pick<ScenarioResult, 'file' | 'lines'>, vantage: Vantage, port?: number): FileLine | null {
  let text: string;
  try {
    text = readFileSync(result.file, 'utf8');
  } catch {
    return null;
  }
  return findLine(text.split('\n'), (result.lines?.expect ?? 1) - 1, vantage, port);
}

/** From the `expect:` line on: the vantage's key, then the first line after it naming the port. */
export function findLine(lines: readonly string[], from: number, vantage: Vantage, port?: number): FileLine | null {
  const key = new RegExp(`^\\s*['"]?${escape(vantage)}['"]?\\s*:`);
  const block = lines.findIndex((line, i) => i >= from && key.test(line));
  if (block === -1) return null;
  if (port !== undefined) {
    const number = new RegExp(`(?<![\\d.:/-])${port}(?![\\d.:/])`);
    for (let i = block; i < lines.length; i++) {
      const match = number.exec(lines[i]!);
      if (match) return { line: i + 1, column: match.index + 1 };
    }
  }
  return { line: block + 1, column: lines[block]!.search(/\S/) + 1 };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
