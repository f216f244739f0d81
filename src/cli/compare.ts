/**
 * `fwprobe compare --a RULESET --b RULESET`: two rulesets (an iptables ruleset and its migration, a
 * restore file and its script rendering, two nft files) in the same lab, from every vantage, one verdict:
 * identical exposure (what each firewall admits, report/admission.ts), or the ports that differ. Each side
 * is an in-memory scenario (parity reported, not judged), run by the ordinary runner; only the
 * observations are compared. The lab is `--services`/`--ports` on one target and peer, or a scenario's own
 * (`--scenario FILE`: its networks, peers, hosts behind, services and scanned ports).
 */
import { resolve } from 'node:path';
import { ScenarioError, UsageError, formatFieldPath } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import type { Scenario } from '../model/scenario.ts';
import { exposureOf } from '../report/exposure.ts';
import { exposureChanges, formatChange, knownPorts } from '../report/exposure-diff.ts';
import { writeResults } from '../report/results-json.ts';
import { runScenario } from '../run/scenario.ts';
import { loadScenario } from '../scenario/load.ts';
import { normaliseScenario } from '../scenario/normalise.ts';
import type { ParsedArgs } from './args.ts';
import { DEFAULT_COMPARE_SERVICES } from './commands.ts';
import { engineFor, parseGateArgs } from './gate-run.ts';
import { parseRulesetFlag } from './ruleset-flag.ts';

export async function runCompare(args: readonly string[]): Promise<number> {
  const options = await parseGateArgs('compare', args);
  const [a, b] = [options.args.string('a'), options.args.string('b')];
  if (!a || !b || options.positionals.length > 0) throw new UsageError('compare needs --a RULESET and --b RULESET, and nothing else; see fwprobe compare --help');
  const borrowed = await borrowedLab(options.args);
  const sides = await Promise.all([synthesise('A', '--a', a, options.args, borrowed), synthesise('B', '--b', b, options.args, borrowed)]);
  const image = await engineFor(options.bounds);
  const [ra, rb] = await Promise.all(sides.map((scenario) => runScenario(scenario, { image, bounds: options.bounds })));
  await writeResults(options.reportDir, [ra!, rb!]);
  process.stdout.write(`A: ${printable(a)}\nB: ${printable(b)}\n${borrowed ? `lab: ${printable(borrowed.name)} (${printable(options.args.string('scenario') ?? '')})\n` : ''}`);
  const errors = [ra!, rb!].filter((r) => r.status === 'error');
  for (const r of errors) process.stdout.write(`error    ${r.name}: ${printable(`${r.errorCode}: ${r.error}`, { multiline: true }).replace(/\n/g, '\n  ')}\n`);
  if (errors.length > 0) return 2;
  const before = exposureOf(ra!.observations, ra!.others);
  const after = exposureOf(rb!.observations, rb!.others);
  const changes = exposureChanges(before, after);
  if (changes.length === 0) {
    process.stdout.write(`identical exposure: ${knownPorts(before)} port state(s) known in A, ${knownPorts(after)} in B, none differ in exposure\n`);
    return 0;
  }
  process.stdout.write(`${changes.length} difference(s), A → B:\n${changes.map((c) => `  ${formatChange(c)}\n`).join('')}`);
  return 1;
}

/**
 * The scenario whose lab both sides borrow (`--scenario FILE`), or null. It says its own services and
 * ports, so `--services` and `--ports` beside it would be two answers to one question: refused.
 */
async function borrowedLab(args: ParsedArgs): Promise<Scenario | null> {
  const file = args.string('scenario');
  if (file === undefined) return null;
  if (args.string('services') !== undefined || args.strings('ports').length > 0) {
    throw new UsageError(`--scenario ${printable(file)} brings its own services and ports: drop --services and --ports, or edit the scenario.`);
  }
  return loadScenario(file);
}

/**
 * One side's scenario: the ruleset under test in the shared lab, parity reported. In a borrowed lab the
 * scenario's expectations stay: they name the ports it scans and backs with clients, and their verdict is
 * not read (only the observations are compared).
 */
async function synthesise(side: 'A' | 'B', flag: string, spec: string, args: ParsedArgs, borrowed: Scenario | null): Promise<Scenario> {
  const backend = args.string('backend');
  const services = (borrowed ? '' : (args.string('services') ?? DEFAULT_COMPARE_SERVICES))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const input = {
    name: `ruleset ${side}`,
    services,
    ruleset: parseRulesetFlag(flag, spec),
    // The files are the user's own, named on the command line: there is no scenario folder to keep them in.
    paths: { allowOutside: true },
    ...(backend === undefined ? {} : { backend }),
    // In a borrowed lab only the ruleset of this input is kept: one port stands in for the scan the
    // borrowed scenario defines, so that the input is a scenario that scans something.
    ...(borrowed ? { ports: { tcp: ['1'] } } : portsInput(args.strings('ports'))),
    // A scenario file must assert something; this one is judged by comparison instead (set below).
    parity: 'strict',
  };
  let scenario: Scenario;
  try {
    scenario = await normaliseScenario(input, { file: resolve(`compare-${side}`) });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const problems = error.issues.map((i) => `  ${formatFieldPath(i.path)}: ${i.message}`).join('\n');
    throw new UsageError(`${flag} ${printable(spec)} (with --services, --ports, --backend) cannot run:\n${problems}`, { cause: error });
  }
  const parity = { mode: 'report' as const, exceptions: [] };
  if (!borrowed) return { ...scenario, expectations: [], parity };
  const { lines: _lines, ...lab } = borrowed;
  return { ...lab, name: scenario.name, file: scenario.file, ruleset: scenario.ruleset, backend: backend === undefined ? borrowed.backend : scenario.backend, parity };
}

function portsInput(items: readonly string[]): { ports?: Record<string, string[]> } {
  if (items.length === 0) return {};
  const ports: Record<string, string[]> = {};
  for (const item of items) {
    const match = /^(tcp|udp)=(.+)$/.exec(item);
    if (!match) throw new UsageError(`--ports expects tcp=SPEC or udp=SPEC (SPEC: 1-1024, top-100, all, or a comma list), got ${JSON.stringify(item)}.`);
    ports[match[1]!] = [...(ports[match[1]!] ?? []), ...match[2]!.split(',').map((s) => s.trim())];
  }
  return { ports };
}
