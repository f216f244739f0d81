/**
 * What a person reads about one result: the error, or the verdict, plus static parity and tolerated lines.
 */
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from './result.ts';
import { verdictTextOf } from './verdict-format.ts';

/** What a person needs to read about one result: the error, or the verdict, plus anything tolerated. */
export function formatVerdictText(result: ScenarioResult): string {
  const lines: string[] = [];
  if (result.status === 'error') {
    lines.push(`ERROR ${result.errorCode ?? ''}: ${printable(result.error ?? 'unknown error', { multiline: true })}`);
  } else {
    lines.push(verdictTextOf(result));
  }
  for (const finding of result.staticParity) lines.push(`static parity: ${finding}`);
  for (const p of result.leftovers ?? []) {
    lines.push(`left running by the script, killed before the scans: pid ${p.pid} ${p.exe} (${p.command})`);
  }
  for (const r of result.rateDependent ?? []) {
    lines.push(`verdicts depend on rate or chance (${r.family} ${r.match}): clients were sent before the scans: ${r.rule}`);
  }
  for (const t of result.tolerated) {
    lines.push(`tolerated: line ${t.line}: \`${printable(t.command)}\` exited ${t.exitCode} (${printable(t.why)})`);
  }
  return lines.join('\n');
}
