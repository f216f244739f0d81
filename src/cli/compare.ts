/**
 * `fwprobe compare --a RULESET --b RULESET`: two rulesets (an iptables ruleset and its migration, a
 * restore file and its script rendering) in the same lab, from every vantage, one verdict: identical
 * exposure, or the ports that differ. Each side is an in-memory scenario with no expectations (parity
 * reported, not judged), run by the ordinary runner; only the observations are compared.
 */
import { resolve } from 'node:path';
import { ScenarioError, UsageError, formatFieldPath } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import type { Scenario } from '../model/scenario.ts';
import { exposureOf } from '../report/exposure.ts';
import { exposureChanges, formatChange, knownPorts } from '../report/exposure-diff.ts';
import { writeResults } from '../report/results-json.ts';
import { runScenario } from '../run/scenario.ts';
import { normaliseScenario } from '../scenario/normalise.ts';
import { engineFor, parseGateArgs } from './gate-run.ts';
import { parseRulesetFlag } from './ruleset-flag.ts';

/** The services both labs listen on when `--services` is not given. */
export const DEFAULT_COMPARE_SERVICES = '22/tcp,25/tcp,53/tcp,53/udp,80/tcp,123/udp,443/tcp';

export const COMPARE_USAGE = `  fwprobe compare --a RULESET --b RULESET [--services LIST] [--ports tcp=SPEC]… [--backend nft|legacy]
      Run both rulesets in the same lab (same services, every vantage) and compare their exposure.
      RULESET: v4=FILE,v6=FILE | script=FILE | policy=FILE | preset=NAME[,param.KEY=VALUE] | none.
      --services: default ${DEFAULT_COMPARE_SERVICES}. --ports tcp=1-1024 scans more ports (also udp=).
      Exit 0: identical exposure; 1: differences (listed A → B); 2: an error.
`;

export async function runCompare(args: readonly string[]): Promise<number> {
  const options = await parseGateArgs(args, {
    a: { type: 'string' },
    b: { type: 'string' },
    services: { type: 'string' },
    ports: { type: 'string', multiple: true, default: [] },
    backend: { type: 'string' },
  });
  const { a, b } = options.values as { a?: string; b?: string };
  if (!a || !b || options.positionals.length > 0) throw new UsageError(`compare needs --a RULESET and --b RULESET, and nothing else.\n\n${COMPARE_USAGE}`);
  const sides = await Promise.all([synthesise('A', '--a', a, options.values), synthesise('B', '--b', b, options.values)]);
  const image = await engineFor(options.bounds);
  const [ra, rb] = await Promise.all(sides.map((scenario) => runScenario(scenario, { image, bounds: options.bounds })));
  await writeResults(options.reportDir, [ra!, rb!]);
  process.stdout.write(`A: ${printable(a)}\nB: ${printable(b)}\n`);
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

/** One side's scenario: the ruleset under test in the shared lab, no expectations, parity reported. */
async function synthesise(side: 'A' | 'B', flag: string, spec: string, values: Record<string, unknown>): Promise<Scenario> {
  const services = String(values['services'] ?? DEFAULT_COMPARE_SERVICES).split(',').map((s) => s.trim()).filter(Boolean);
  const input = {
    name: `ruleset ${side}`,
    services,
    ruleset: parseRulesetFlag(flag, spec),
    // The files are the user's own, named on the command line: there is no scenario folder to keep them in.
    paths: { allowOutside: true },
    ...(values['backend'] === undefined ? {} : { backend: values['backend'] }),
    ...portsInput(values['ports'] as string[]),
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
  return { ...scenario, expectations: [], parity: { mode: 'report', exceptions: [] } };
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
