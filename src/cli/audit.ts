/**
 * `fwprobe audit [--from BUNDLE|DIR]`: capture, run and answer in one command. Every bundle (one, a folder
 * of them, or this machine) is captured and checked before any container starts, into a temporary folder
 * removed afterwards (kept with --keep); the scenarios go through the same runner and reports as `fwprobe
 * run`. Per host: every IPv4/IPv6 difference, the port table, then the one sentence of report/ipv6-answer.ts;
 * at the end one line per host. Exit 1 when IPv6 exposes more than IPv4 on a host, 2 on an error.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { answerIpv6, type Ipv6Answer } from '../report/ipv6-answer.ts';
import type { ScenarioResult } from '../report/result.ts';
import { buildResultsDocument } from '../report/results-document.ts';
import { writeReports } from '../report/results-json.ts';
import { formatExposureTable } from '../report/table.ts';
import { prepareEngine } from '../run/engine.ts';
import { runScenarioFiles } from '../run/files.ts';
import { Anonymiser } from '../scenario/bundle/anonymise.ts';
import { captureBundle, unanswerable, type CaptureOutput } from '../scenario/bundle/index.ts';
import { parseCommandArgs } from './args.ts';
import { parseBoundOptions } from './bounds.ts';
import { collectHere, readBundle, writeCaptured } from './capture.ts';
import { EXIT, type RunStreams } from './run.ts';
import { checkReportDir, defaultReportDir, parseConcurrency } from './run-options.ts';
import { createProgress, useColour } from './terminal.ts';

/** A fleet folder holds at most this many bundles: each is a lab run. */
export const MAX_FLEET_BUNDLES = 256;

const STD: RunStreams = { out: process.stdout, err: process.stderr };

interface Host {
  /** The folder the scenario is written to: the bundle's file name (host-N when anonymised). */
  folder: string;
  captured: CaptureOutput;
}

export async function runAudit(args: readonly string[], streams: RunStreams = STD): Promise<number> {
  const parsed = parseCommandArgs('audit', args);
  if (parsed.positionals.length > 0) throw new UsageError(`audit takes no positional arguments, found ${parsed.positionals.join(' ')}: give a bundle or a folder of them with --from`);
  const bounds = parseBoundOptions(parsed.strings('bound'));
  const concurrency = parseConcurrency(parsed.string('concurrency'));
  const reportDir = parsed.string('report-dir') ?? defaultReportDir();
  await checkReportDir(reportDir);
  const hosts = await captureAll(parsed.string('from'), parsed.flag('anonymise') ? new Anonymiser() : undefined);
  const { out, err } = streams;
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-audit-'));
  try {
    const files: string[] = [];
    for (const host of hosts) files.push(await writeCaptured(host.captured, join(dir, host.folder)));
    const started = new Date();
    const image = await prepareEngine({
      log: (line) => err.write(`image: ${printable(line)}\n`),
      ...(bounds.imageBuild === undefined ? {} : { imageBuildMs: bounds.imageBuild }),
    });
    const progress = createProgress(err, files.length);
    let results: ScenarioResult[];
    try {
      results = await runScenarioFiles(files, {
        image,
        bounds,
        ...(concurrency === undefined ? {} : { concurrency }),
        onPhase: (scenario, phase) => progress.phase(scenario, phase),
        onResult: (result) => progress.done(result.name, result.status, result.durationMs),
      });
    } finally {
      progress.close();
    }
    const answers = results.map((result, i) => {
      const unknown = unanswerable(hosts[i]!.captured);
      return answerIpv6(result, unknown === undefined ? {} : { unknown });
    });
    const colour = useColour(out);
    results.forEach((result, i) => out.write(formatHost(result, hosts[i]!, answers[i]!, { table: !parsed.flag('quiet'), colour })));
    const reportFile = await writeReports(reportDir, buildResultsDocument(results, { startedAt: started, now: new Date() }));
    out.write(`\n${results.map((r, i) => `${hosts[i]!.folder}: ${printable(answers[i]!.sentence)}`).join('\n')}\n`);
    out.write(`results: ${printable(reportFile)}\nreport:  ${printable(join(reportDir, 'index.html'))}\n`);
    if (answers.some((a) => a.kind === 'unanswered')) return EXIT.error;
    return answers.some((a) => a.kind === 'more-open') ? EXIT.failed : EXIT.passed;
  } finally {
    if (parsed.flag('keep')) err.write(`kept the captured scenarios in ${printable(dir)}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** Every bundle read and captured: a bad one refuses the audit, naming its file and field, before any lab. */
async function captureAll(from: string | undefined, anonymiser: Anonymiser | undefined): Promise<Host[]> {
  const options = anonymiser ? { anonymiser } : {};
  if (from === undefined) return [{ folder: 'host', captured: captureBundle(collectHere(), 'this machine', options) }];
  const paths = await bundlePaths(from);
  const hosts: Host[] = [];
  const used = new Set<string>();
  for (const [i, path] of paths.entries()) {
    const captured = captureBundle(await readBundle(path), path, options);
    // The file name may be the hostname: anonymised, the folder is only a number.
    let folder = anonymiser
      ? `host-${i + 1}`
      : basename(path, '.json')
          .replace(/[^A-Za-z0-9_.-]/g, '_')
          .replace(/^\.+/, '_') || `host-${i + 1}`;
    while (used.has(folder)) folder = `${folder}_`;
    used.add(folder);
    hosts.push({ folder, captured });
  }
  return hosts;
}

/** One bundle, or each `*.json` of a folder in name order. */
async function bundlePaths(from: string): Promise<string[]> {
  const info = await stat(from).catch(() => null);
  if (!info?.isDirectory()) return [from];
  const names = (await readdir(from)).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) throw new UsageError(`--from ${printable(from)}: no bundle (*.json) in this folder; write one per host with \`ssh HOST sudo sh < collect.sh > HOST.json\``);
  if (names.length > MAX_FLEET_BUNDLES) throw new UsageError(`--from ${printable(from)}: ${names.length} bundles, at most ${MAX_FLEET_BUNDLES} at once: split the folder`);
  return names.map((n) => join(from, n));
}

/** One host: its name and status, every IPv4/IPv6 difference first, the port table, the answer. */
function formatHost(result: ScenarioResult, host: Host, answer: Ipv6Answer, options: { table: boolean; colour: boolean }): string {
  const lines = [`\n${printable(host.folder)}: ${printable(result.name)} [${result.status.toUpperCase()}] (${(result.durationMs / 1000).toFixed(1)} s)`];
  if (result.status === 'error') lines.push(`  ${printable(result.error ?? 'no verdict', { multiline: true })}`);
  lines.push(answer.differences.length === 0 ? '  IPv4/IPv6 differences: none' : `  IPv4/IPv6 differences (${answer.differences.length}):`);
  for (const f of answer.differences) lines.push(`    ${printable(f.message)}`);
  if (options.table && result.observations.length > 0) lines.push(formatExposureTable(result, { colour: options.colour }).replace(/^/gm, '  ').trimEnd());
  for (const note of host.captured.notes) lines.push(`  note: ${printable(note)}`);
  lines.push(`  ${printable(answer.sentence)}`);
  return `${lines.join('\n')}\n`;
}
