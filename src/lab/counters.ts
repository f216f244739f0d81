/**
 * The rule counters after the scans (`iptables-save -c`): which rule each probe hit, so a reader of the
 * report can see why a port read filtered (the DROP policy counted the probes) or open (an ACCEPT did).
 * Informative only: the verdict never reads them, and a failure to read them leaves them out.
 */
import type { AppliedRuleset } from '../model/ruleset.ts';
import { TOOLS } from './apply-ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';

/** The most of each family's counters kept. @default 256 KiB */
export const MAX_COUNTERS_CHARS = 256 * 1024;

/** Both families' rules with their `[packets:bytes]` counters, or null when either could not be read. */
export async function readCounters(host: StartedFwprobeContainer): Promise<AppliedRuleset | null> {
  const tools = TOOLS[host.backend];
  try {
    const { v4, v6 } = await host.runNamedBatch({ v4: [tools.ipv4.save, '-c'], v6: [tools.ipv6.save, '-c'] }, { stopOnFailure: false, phase: 'reading the rule counters' });
    if (v4.exitCode !== 0 || v6.exitCode !== 0) return null;
    return { v4: bounded(v4.stdout), v6: bounded(v6.stdout) };
  } catch {
    return null;
  }
}

function bounded(text: string): string {
  // Comments carry the date and time of the save: two runs of one scenario should read the same.
  const kept = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  return kept.length <= MAX_COUNTERS_CHARS ? kept : `${kept.slice(0, MAX_COUNTERS_CHARS)}\n# fwprobe: ${kept.length - MAX_COUNTERS_CHARS} more characters left out\n`;
}
