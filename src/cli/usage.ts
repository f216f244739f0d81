/**
 * What `fwprobe COMMAND --help` prints: one text per command (the overview stays in main.ts, beside the
 * command switch).
 */
import { boundsHelp } from './bounds.ts';
import { GENERATE_USAGE } from './generate.ts';

const RUN_OPTIONS = `  --report-dir DIR    write results.json, junit.xml, summary.md, index.html and fwprobe.sarif there
                      (default: $FWPROBE_REPORT_DIR, else reports/); checked before anything runs
  --filter PATTERN    only scenarios whose name or path contains PATTERN
  --concurrency N     scenarios at once (default: the number of CPUs)
  --bound NAME=SECS   raise or lower a step's bound, repeatable: ${boundsHelp()}
  -q, --quiet         no port tables, only each verdict
  --json              results.json's document on stdout, nothing else there (progress stays on stderr)
  -h, --help          this text
Results go to stdout in file order; progress to stderr (a live line on a terminal, a line per phase in a
log). Colour only on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.`;

export const RUN_USAGE = `Usage: fwprobe run [FILES|DIRS…] [options]

Runs scenarios (default: ./scenarios) in throwaway containers and prints each one's port table and verdict.
${RUN_OPTIONS}
Exit 0: all passed; 1: a scenario failed; 2: an error (a scenario could not run, bad input).
`;

export const DEMO_USAGE = `Usage: fwprobe demo [options]

The IPv6 gap of the 2009 "Linux Firewalls" post, in containers: the v4-only host, the fix, and what the fix
costs, told from what the scans see; every report is written, index.html among them.
${RUN_OPTIONS}
`;

export const VALIDATE_USAGE = `Usage: fwprobe validate [FILES|DIRS…]

Loads every scenario as a run would (schema, files, generated rulesets, limits), without Docker.
Exit 0: all valid; 2: a file is invalid (each problem names the file, line and field).
`;

/** The help text of `command`, or null for a command without one here. */
export function usageOf(command: string): string | null {
  return { run: RUN_USAGE, demo: DEMO_USAGE, validate: VALIDATE_USAGE, generate: GENERATE_USAGE }[command] ?? null;
}
