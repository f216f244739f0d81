/**
 * The `fwprobe` command line: parses arguments, runs scenarios through run/, prints results through
 * report/. Exit codes are a contract with CI scripts.
 */
import { asFwprobeError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { removeEverything } from '../run/engine.ts';
import { fwprobeVersion } from '../report/version.ts';
import { runGenerate } from './generate.ts';
import { EXIT, runCommand } from './run.ts';
import { usageOf } from './usage.ts';
import { runValidate } from './validate.ts';
import { BASELINE_USAGE, runBaseline } from './baseline.ts';
import { CHECK_USAGE, runCheck } from './check.ts';
import { COMPARE_USAGE, runCompare } from './compare.ts';
import { DIFF_USAGE, runDiff } from './diff.ts';
import { MERGE_USAGE, runMergeReports } from './merge-reports.ts';

export { EXIT, formatResult, inFileOrder } from './run.ts';

const USAGE = `Usage:
  fwprobe run [FILES|DIRS…] [--report-dir DIR] [--filter PATTERN] [--concurrency N] [--bound NAME=SECONDS]…
              [--quiet] [--json]
      Run scenarios (default: ./scenarios), printed in file order; write every report into DIR.
  fwprobe demo [--report-dir DIR]
      The IPv6-gap demo: the v4-only ruleset, the fix, and what the fix costs.
  fwprobe generate [POLICY] [--preset NAME] [--param K=V]… --out DIR
      Write rules.v4, rules.v6 and firewall.sh from a policy file and/or a preset.
  fwprobe validate [FILES|DIRS…]
      Load every scenario as a run would (schema, files, generated rulesets, limits), without Docker.
      Exit 0: all valid; 2: a file is invalid (each problem names the file, line and field).
${BASELINE_USAGE}${CHECK_USAGE}${DIFF_USAGE}${COMPARE_USAGE}${MERGE_USAGE}  fwprobe --version
  fwprobe COMMAND --help   (each command's options)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `fwprobe run --help` asks for help, not for a run.
  const gateUsage: Record<string, string> = { baseline: BASELINE_USAGE, check: CHECK_USAGE, diff: DIFF_USAGE, compare: COMPARE_USAGE, 'merge-reports': MERGE_USAGE };
  const help = command === undefined ? null : (usageOf(command) ?? gateUsage[command] ?? null);
  if (help && rest.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(help);
    return EXIT.passed;
  }
  switch (command) {
    case '-V':
    case '--version':
      process.stdout.write(`fwprobe ${fwprobeVersion()}\n`);
      return EXIT.passed;
    case 'run':
      return runCommand(rest, { demo: false });
    case 'demo':
      return runCommand(rest, { demo: true });
    case 'generate':
      return runGenerate(rest);
    case 'validate':
      return runValidate(rest);
    case 'baseline':
      return runBaseline(rest);
    case 'check':
      return runCheck(rest);
    case 'diff':
      return runDiff(rest);
    case 'compare':
      return runCompare(rest);
    case 'merge-reports':
      return runMergeReports(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.error : EXIT.passed;
    default:
      process.stderr.write(`fwprobe: unknown command ${printable(JSON.stringify(command))}\n\n${USAGE}`);
      return EXIT.error;
  }
}

export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const { message } = asFwprobeError(error);
    process.stderr.write(`fwprobe: ${printable(message, { multiline: true })}\n`);
    code = EXIT.error;
  } finally {
    await removeEverything();
  }
  process.exitCode = code;
}
