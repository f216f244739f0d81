/**
 * A readable text of a verdict, for test failure output and the CLI:
 *
 * ```
 * FAILED: 1 mismatch, 1 parity gap (strict)
 * mismatches:
 *   ✗ peer ipv6 tcp/53: expected filtered, observed open (syn-ack)
 * parity (strict):
 *   ✗ loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)
 *   ~ loopback tcp/80: ipv4 filtered (no-response), ipv6 closed (reset) — excused: legacy clients
 *   (parity is strict unless the scenario says `parity: report`: …)
 * unchecked: 2 ports (loopback ipv4 tcp/8080 open (syn-ack), …)
 * ```
 */
import { printable } from '../model/printable.ts';
import type { ParityMode } from '../model/scenario.ts';
import { portLabel } from '../verdict/keys.ts';
import type { UnverifiedRule, Verdict } from '../verdict/types.ts';
import type { JudgedVerdict } from './result.ts';

const MAX_UNCHECKED_SHOWN = 10;

/** Strict parity is the default: a failing gap says how to accept it, on purpose and in writing. */
export const STRICT_HINT =
  '  (parity is strict unless the scenario says `parity: report`: make IPv6 answer as IPv4 does, excuse the port under parity.exceptions with a why, or write `parity: report` to list gaps without failing)';

export function formatVerdict(verdict: Verdict, parityMode: ParityMode): string {
  const lines = [headline(verdict, parityMode)];
  const problems = [...verdict.mismatches.map((m) => m.message), ...verdict.missing.map((m) => m.message), ...verdict.othersMismatches.map((m) => m.message)];
  if (problems.length > 0) lines.push('mismatches:', ...problems.map((p) => `  ✗ ${p}`));
  if (verdict.parity.length > 0) {
    lines.push(`parity (${parityMode}):`);
    for (const finding of verdict.parity) {
      lines.push(finding.excusedBy === null ? `  ${parityMode === 'strict' ? '✗' : '!'} ${finding.message}` : `  ~ ${finding.message} — excused: ${printable(finding.excusedBy)}`);
    }
    if (parityMode === 'strict' && verdict.parity.some((f) => f.excusedBy === null)) lines.push(STRICT_HINT);
  }
  for (const u of verdict.unverified) lines.push(`  ✗ ${unverifiedText(u)}`);
  const unchecked = uncheckedText(verdict);
  if (unchecked) lines.push(unchecked);
  return lines.join('\n');
}

/** Every failing line of a verdict, one message each (for results.json or assertion messages). */
export function verdictProblems(verdict: Verdict, parityMode: ParityMode): string[] {
  return [
    ...verdict.mismatches.map((m) => m.message),
    ...verdict.missing.map((m) => m.message),
    ...verdict.othersMismatches.map((m) => m.message),
    ...(parityMode === 'strict' ? verdict.parity.filter((f) => f.excusedBy === null).map((f) => `parity: ${f.message}`) : []),
    ...verdict.unverified.map(unverifiedText),
  ];
}

/** One unverified rule as a person reads it, with what to do about it. */
export function unverifiedText(u: UnverifiedRule): string {
  return (
    `unverified: ${u.family} rule matches on ${u.match}, which fwprobe's clients do not vary: ${u.rule} ` + `(acknowledge it under sources.unvaried with a why, or test it with a scenario of its own)`
  );
}

/** A result's verdict as text, rendered now from the structured verdict ('' before one is taken). */
export function verdictTextOf(result: { verdict: JudgedVerdict | null }): string {
  return result.verdict ? formatVerdict(result.verdict, result.verdict.parityMode) : '';
}

/** A result's failing lines, rendered now from the structured verdict (none before one is taken). */
export function problemsOf(result: { verdict: JudgedVerdict | null }): string[] {
  return result.verdict ? verdictProblems(result.verdict, result.verdict.parityMode) : [];
}

function headline(verdict: Verdict, parityMode: ParityMode): string {
  const count = verdict.mismatches.length + verdict.missing.length + verdict.othersMismatches.length + verdict.unverified.length;
  const gaps = verdict.parity.filter((f) => f.excusedBy === null).length;
  const parts = [];
  if (count > 0) parts.push(plural(count, 'mismatch', 'mismatches'));
  if (gaps > 0) parts.push(`${plural(gaps, 'parity gap', 'parity gaps')} (${parityMode})`);
  const summary = parts.length > 0 ? `: ${parts.join(', ')}` : '';
  return `${verdict.passed ? 'PASSED' : 'FAILED'}${summary}`;
}

function uncheckedText(verdict: Verdict): string | null {
  const { observations, summaries } = verdict.unchecked;
  const total = observations.length + summaries.reduce((sum, s) => sum + s.count, 0);
  if (total === 0) return null;
  const shown = [
    ...observations.map((o) => `${portLabel(o, o.port)} ${o.state} (${o.reason})`),
    ...summaries.map((s) => `${s.vantage} ${s.family} ${s.protocol} ${s.count}× ${s.state} (${s.reason})`),
  ];
  const more = shown.length > MAX_UNCHECKED_SHOWN ? `, … ${shown.length - MAX_UNCHECKED_SHOWN} more` : '';
  return `unchecked: ${plural(total, 'port', 'ports')} (${shown.slice(0, MAX_UNCHECKED_SHOWN).join(', ')}${more})`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
