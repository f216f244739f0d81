/**
 * `fwprobe run` and `fwprobe demo`: options checked first (run-options.ts), then the engine, then the
 * scenarios; each result printed on stdout in file order (with its port table unless --quiet), progress on
 * stderr, every report written, and with --json only results.json's document on stdout.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { printable } from '../model/printable.ts';
import { buildResultsDocument } from '../report/results-document.ts';
import { writeReports } from '../report/results-json.ts';
import type { ScenarioResult } from '../report/result.ts';
import { formatExposureTable } from '../report/table.ts';
import { formatVerdictText } from '../report/verdict-text.ts';
import { prepareEngine } from '../run/engine.ts';
import { runScenarioFiles } from '../run/files.ts';
import { DEMO_DIR, DEMO_INTRO, demoStory } from './demo.ts';
import { parseRunOptions } from './run-options.ts';
import { createProgress, useColour, type Stream } from './terminal.ts';

/** Exit codes: a contract with CI scripts. */
export const EXIT = { passed: 0, failed: 1, error: 2 } as const;

export interface RunStreams {
  out: Stream;
  err: Stream;
}

const STD: RunStreams = { out: process.stdout, err: process.stderr };

export async function runCommand(args: readonly string[], mode: { demo: boolean }, streams: RunStreams = STD): Promise<number> {
  const options = await parseRunOptions(mode.demo ? [DEMO_DIR, ...args] : args, { paths: ['scenarios'] });
  const started = new Date();
  const { out, err } = streams;
  // With --json, stdout carries one JSON document: everything a person reads goes to stderr or nowhere.
  const human = options.json ? null : out;
  const colour = human !== null && useColour(human);
  const image = await prepareEngine({
    // A fresh machine's first `npm run demo`: the engine is brought up where fwprobe can (issue: first minute).
    startEngine: true,
    log: (line) => err.write(`image: ${printable(line)}\n`),
    ...(options.bounds.imageBuild === undefined ? {} : { imageBuildMs: options.bounds.imageBuild }),
  });
  if (mode.demo && human) human.write(DEMO_INTRO);
  const progress = createProgress(err, options.files.length);
  // Each result is final when it arrives (its lab removed): printed once, never revised.
  const print = inFileOrder((result) => {
    if (human) progress.around(() => human.write(formatResult(result, { table: !options.quiet, colour })));
  });
  let results: ScenarioResult[];
  try {
    results = await runScenarioFiles(options.files, {
      image,
      bounds: options.bounds,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onPhase: (scenario, phase) => progress.phase(scenario, phase),
      onResult: (result, index) => {
        progress.done(result.name, result.status, result.durationMs);
        print(result, index);
      },
    });
  } finally {
    progress.close();
  }
  // One moment for both: stdout's document (--json) is the very results.json.
  const doc = buildResultsDocument(results, { startedAt: started, now: new Date() });
  const reportFile = await writeReports(options.reportDir, doc);
  const html = shortPath(join(options.reportDir, 'index.html'));
  if (human) {
    if (mode.demo) human.write(demoStory(results, html));
    human.write(`\n${summaryLine(results)}\nresults: ${printable(reportFile)}\nreport:  ${printable(html)}\n`);
  } else {
    out.write(`${JSON.stringify(doc, null, 2)}\n`);
    err.write(`${summaryLine(results)}; results: ${printable(reportFile)}; report: ${printable(html)}\n`);
  }
  if (results.some((r) => r.status === 'error')) return EXIT.error;
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  return EXIT.passed;
}

/** One result as printed: names, paths and messages escaped (see model/printable.ts), whatever they hold. */
export function formatResult(result: ScenarioResult, options: { table: boolean; colour?: boolean }): string {
  const name = printable(result.name);
  const status = result.status.toUpperCase();
  const badge = options.colour ? `\u001b[${result.status === 'passed' ? '32' : result.status === 'failed' ? '31' : '35'}m[${status}]\u001b[0m` : `[${status}]`;
  const head = `\n${badge} ${name} (${printable(result.file)}, ${(result.durationMs / 1000).toFixed(1)} s)\n`;
  const table = options.table && result.observations.length > 0 ? `${indent(formatExposureTable(result, { colour: options.colour === true }))}\n` : '';
  return head + table + indent(printable(formatVerdictText(result), { multiline: true }));
}

/** Relative to the working directory when inside it, else absolute: the path a person can paste. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
}

function summaryLine(results: readonly ScenarioResult[]): string {
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length;
  return `${count('passed')} passed, ${count('failed')} failed, ${count('error')} error`;
}

function indent(text: string): string {
  return text ? `${text.replace(/^/gm, '  ').trimEnd()}\n` : '';
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
