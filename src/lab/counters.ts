/**
 * The rule counters after the scans (`iptables-save -c`, read by the recheck): which rule each probe hit, so a reader of the
 * report can see why a port read filtered (the DROP policy counted the probes) or open (an ACCEPT did).
 * Informative only: the verdict never reads them, and a failure to read them leaves them out.
 */
import type { AppliedRuleset } from '../model/ruleset.ts';

/** The most of each family's counters kept. @default 256 KiB */
export const MAX_COUNTERS_CHARS = 256 * 1024;

/** The counters from both families' `*-save -c` read elsewhere (the recheck reads them in its own exec). */
export function countersFrom(saved: { v4: string; v6: string } | null): AppliedRuleset | null {
  return saved ? { v4: bounded(saved.v4), v6: bounded(saved.v6) } : null;
}

function bounded(text: string): string {
  // Comments carry the date and time of the save: two runs of one scenario should read the same.
  const kept = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  return kept.length <= MAX_COUNTERS_CHARS ? kept : `${kept.slice(0, MAX_COUNTERS_CHARS)}\n# fwprobe: ${kept.length - MAX_COUNTERS_CHARS} more characters left out\n`;
}
