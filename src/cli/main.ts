/**
 * The `fwprobe` command line: parses arguments, runs scenarios through run/, prints results through
 * report/. Exit codes are a contract with CI scripts.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { NoScenariosError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { prepareEngine, removeEverything } from '../run/engine.ts';
import { formatExposureTable } from '../report/table.ts';
import { writeResults } from '../report/results-json.ts';
import type { ScenarioResult } from '../report/result.ts';
import { boundsHelp, parseBoundOptions } from './bounds.ts';
import { runGenerate } from './generate.ts';
import { runValidate } from './validate.ts';
import { BASELINE_USAGE, runBaseline } from './baseline.ts';
import { CHECK_USAGE, runCheck } from './check.ts';
import { COMPARE_USAGE, runCompare } from './compare.ts';
import { DIFF_USAGE, runDiff } from './diff.ts';
import { MERGE_USAGE, runMergeReports } from './merge-reports.ts';
import { discoverScenarioFiles } from '../scenario/discover.ts';
import { runScenarioFiles } from '../run/files.ts';
import { formatVerdictText } from '../report/verdict-text.ts';

/** Exit codes: a contract with CI scripts. */
export const EXIT = { passed: 0, failed: 1, error: 2 } as const;

const DEMO_DIR = fileURLToPath(new URL('../../scenarios/ipv6-gap/', import.meta.url));

const DEMO_INTRO = `fwprobe demo: the IPv6 gap from the 2009 post on the "Linux Firewalls" script.
Before: an iptables-only ruleset (INPUT DROP, ssh allowed). After: the same plus ip6tables policies DROP.
Each table shows what nmap really sees, from inside the host (loopback) and from a peer on the network.
`;

const USAGE = `Usage:
  fwprobe run [FILES|DIRS…] [--report-dir DIR] [--concurrency N] [--bound NAME=SECONDS]…
      Run scenarios (default: ./scenarios), printed in file order. Writes DIR/results.json,
      junit.xml and summary.md (DIR: $FWPROBE_REPORT_DIR, else reports/).
      Bounds (seconds): ${boundsHelp()}.
      Exit 0: all passed; 1: a scenario failed; 2: an error (a scenario could not run, bad input).
  fwprobe demo [--report-dir DIR]
      The IPv6-gap demo: the v4-only ruleset, then the fix, with a port-by-family table of each.
  fwprobe generate [POLICY] [--preset NAME] [--param K=V]… --out DIR
      Write rules.v4, rules.v6 and firewall.sh from a policy file and/or a preset.
  fwprobe validate [FILES|DIRS…]
      Load every scenario as a run would (schema, files, generated rulesets, limits), without Docker.
      Exit 0: all valid; 2: a file is invalid (each problem names the file, line and field).
${BASELINE_USAGE}${CHECK_USAGE}${DIFF_USAGE}${COMPARE_USAGE}${MERGE_USAGE}  fwprobe --version
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `fwprobe run --help` asks for help, not for a run.
  if (['run', 'demo', 'baseline', 'check', 'diff', 'compare', 'merge-reports'].includes(command ?? '') && rest.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  switch (command) {
    case '-V':
    case '--version':
      process.stdout.write(`fwprobe ${await version()}\n`);
      return EXIT.passed;
    case 'run':
      return runCommand(rest, { demo: false });
    case 'demo':
      return runCommand([DEMO_DIR, ...rest], { demo: true });
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

async function runCommand(args: string[], mode: { demo: boolean }): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'report-dir': { type: 'string', default: process.env['FWPROBE_REPORT_DIR'] || 'reports' },
      concurrency: { type: 'string' },
      bound: { type: 'string', multiple: true, default: [] },
    },
  });
  const bounds = parseBoundOptions(values.bound);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new UsageError(`--concurrency must be a whole number ≥ 1, got ${values.concurrency}`);
  }
  const files = await discoverScenarioFiles(positionals.length > 0 ? positionals : ['scenarios']);
  if (files.length === 0) {
    throw new NoScenariosError(`No scenario files (*.scenario.yaml, *.scenario.ts) in ${positionals.join(' ') || 'scenarios'}.`);
  }
  const image = await prepareEngine({
    log: (line) => process.stderr.write(`image: ${line}\n`),
    ...(bounds.imageBuild === undefined ? {} : { imageBuildMs: bounds.imageBuild }),
  });
  if (mode.demo) process.stdout.write(DEMO_INTRO);
  const results = await runScenarioFiles(files, {
    image,
    bounds,
    ...(concurrency === undefined ? {} : { concurrency }),
    onResult: inFileOrder((result) => process.stdout.write(formatResult(result, mode.demo))),
  });
  const reportFile = await writeResults(values['report-dir'], results);
  process.stdout.write(`\n${summaryLine(results)}\nresults: ${printable(reportFile)}\n`);
  if (results.some((r) => r.status === 'error')) return EXIT.error;
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  return EXIT.passed;
}

/** One result as printed: names, paths and messages escaped (see model/printable.ts), whatever they hold. */
export function formatResult(result: ScenarioResult, withTable: boolean): string {
  const name = printable(result.name);
  const head = `\n[${result.status.toUpperCase()}] ${name} (${printable(result.file)}, ${(result.durationMs / 1000).toFixed(1)} s)\n`;
  const table = withTable && result.observations.length > 0 ? `${indent(formatExposureTable(result))}\n` : '';
  return head + table + indent(printable(formatVerdictText(result), { multiline: true }));
}

function summaryLine(results: ScenarioResult[]): string {
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length;
  return `${count('passed')} passed, ${count('failed')} failed, ${count('error')} error`;
}

function indent(text: string): string {
  return text ? `${text.replace(/^/gm, '  ').trimEnd()}\n` : '';
}

export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fwprobe: ${printable(message, { multiline: true })}\n`);
    code = EXIT.error;
  } finally {
    await removeEverything();
  }
  process.exitCode = code;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Prints results in the order of the files, each as soon as every one before it has been printed. */
export function inFileOrder(print: (result: ScenarioResult) => void): (result: ScenarioResult, index: number) => void {
  const waiting = new Map<number, ScenarioResult>();
  let next = 0;
  return (result, index) => {
    waiting.set(index, result);
    for (let r = waiting.get(next); r; r = waiting.get(next)) {
      waiting.delete(next++);
      print(r);
    }
  };
}
