/**
 * Validates a scenario input (parsed YAML or a `defineScenario` object) and turns it into the runner's
 * `Scenario`. All problems in a file are reported together, each with its field path and, for YAML, its
 * line and column.
 */
import { LOOPBACK, type Vantage } from '../model/observation.ts';
import type { Topology } from '../model/topology.ts';
import { expandRanges } from '../model/ports.ts';
import { normaliseTopology } from './topology.ts';
import { ScenarioError } from '../model/errors.ts';
import { ExpectationDrafts } from './expectations.ts';
import { IssueList, type FieldPath, type ScenarioIssue } from '../source/issues.ts';
import { normaliseParity } from './parity-input.ts';
import { checkBackend, finishRuleset, planRuleset, readRuleset } from './ruleset.ts';
import { scenarioFolder, type ReferenceProblem } from './referenced-file.ts';
import { computeScan, scannedProtocols } from './scan-selection.ts';
import { rulesetForms, scenarioInputSchema, type ScenarioInput } from './schema.ts';
import { normaliseServices } from './services.ts';
import { normaliseSources } from './sources-schema.ts';
import { normaliseDocker, publishedPorts } from './docker-schema.ts';
import { containerSubnets, DOCKER_DEFAULT_NETWORK } from '../model/docker.ts';
import type { RulesetSpec, Scenario, ScenarioLines } from '../model/scenario.ts';
import type { SourcePosition } from '../source/yaml.ts';
import { fromZodIssues } from '../source/zod-issues.ts';
import { closest } from '../model/spelling.ts';

export interface NormaliseOptions {
  /** Absolute path of the scenario file; relative ruleset paths resolve against its directory. */
  file: string;
  /** Maps a field path to its source position (YAML only). */
  locate?: (path: FieldPath) => SourcePosition | undefined;
}

/**
 * @throws ScenarioError `SCENARIO_INVALID`, or for a file the scenario names: `SCENARIO_PATH_OUTSIDE`,
 * `SCENARIO_TOO_LARGE` or `SCENARIO_FILE_MISSING`.
 */
export async function normaliseScenario(raw: unknown, options: NormaliseOptions): Promise<Scenario> {
  const parsed = scenarioInputSchema.safeParse(raw);
  if (!parsed.success) throw invalid(options, withRulesetFormIssues(fromZodIssues(parsed.error.issues, raw, { schema: scenarioInputSchema }), raw));
  const issues = new IssueList();
  const { scenario, plan } = normaliseChecked(parsed.data, options.file, issues);
  if (!issues.empty || !plan) throw invalid(options, issues.items);
  const folder = await scenarioFolder(options.file);
  const read = await readRuleset(plan, folder, { allowOutside: parsed.data.paths?.allowOutside ?? false });
  if ('problems' in read) throw referenceError(read.problems, options);
  const lines = keyLines(parsed.data, options);
  return { ...scenario, ruleset: finishChecked(read.ruleset, options), ...(lines ? { lines } : {}) };
}

/** The lines of the top-level keys the file has (`locate` would give an ancestor's line for an absent one). */
function keyLines(input: object, options: NormaliseOptions): ScenarioLines | undefined {
  const { locate } = options;
  if (!locate) return undefined;
  const lines: ScenarioLines = {};
  for (const key of ['name', 'ruleset', 'expect', 'parity'] as const) {
    const at = key in input ? locate([key]) : undefined;
    if (at) lines[key] = at.line;
  }
  return lines;
}

/** Each form's checks of its read files; the generator runs here, once, so a bad preset is this file's problem. */
function finishChecked(ruleset: RulesetSpec, options: NormaliseOptions): RulesetSpec {
  const finished = finishRuleset(ruleset);
  if ('ruleset' in finished) return finished.ruleset;
  throw new ScenarioError('SCENARIO_INVALID', options.file, withPositions(finished.issues, options), finished.cause === undefined ? undefined : { cause: finished.cause });
}

/**
 * zod 4 reports a failed union through one branch only, so `ruleset: { v4: 5 }` read as "unknown field v4".
 * When the ruleset's keys name exactly one form, that form's own issues are what the user needs.
 */
function withRulesetFormIssues(issues: ScenarioIssue[], raw: unknown): ScenarioIssue[] {
  const ruleset = typeof raw === 'object' && raw !== null ? (raw as { ruleset?: unknown }).ruleset : undefined;
  if (typeof ruleset !== 'object' || ruleset === null) return issues;
  // A list of layers: each item is judged as the one form its keys name.
  const items: [FieldPath, unknown][] = Array.isArray(ruleset) ? ruleset.map((item, i) => [['ruleset', i], item]) : [[['ruleset'], ruleset]];
  const formIssues = items.flatMap(([at, item]) => formIssuesOf(item).map((issue) => ({ ...issue, path: [...at, ...issue.path] })));
  if (formIssues.length === 0) return issues;
  return [...issues.filter((issue) => issue.path[0] !== 'ruleset'), ...formIssues];
}

function formIssuesOf(item: unknown): ScenarioIssue[] {
  if (typeof item !== 'object' || item === null) return [];
  const keys = Object.keys(item);
  const forms = rulesetForms.filter((form) => keys.some((key) => (form.keys as readonly string[]).includes(key)));
  if (forms.length === 0) return misspeltFormKeys(keys);
  const form = forms.length === 1 ? forms[0] : undefined;
  const result = form?.schema.safeParse(item);
  return !result || result.success || !form ? [] : fromZodIssues(result.error.issues, item, { schema: form.schema });
}

/** Keys that name no form: each one a slip of a form's key (`nnft` → `nft`) says which. */
function misspeltFormKeys(keys: readonly string[]): ScenarioIssue[] {
  const known = [...new Set(rulesetForms.flatMap((form) => form.keys as readonly string[]))];
  return keys.flatMap((key) => {
    const meant = closest(key, known);
    return meant ? [{ path: [key], message: `unknown field "${key}": did you mean "${meant}"? (fields are case-sensitive)` }] : [];
  });
}

function normaliseChecked(input: ScenarioInput, file: string, issues: IssueList) {
  const services = normaliseServices(input.services ?? [], issues);
  const sources = normaliseSources(input.sources);
  const topology = normaliseTopology(input, sources, issues);
  const vantages = normaliseVantages(input.vantages, topology, issues);
  const plan = planRuleset(input.ruleset, issues);
  if (plan) checkBackend(plan, input.backend ?? 'nft', issues);
  const drafts = new ExpectationDrafts(issues);
  const docker = input.docker ? normaliseDocker(input.docker, services, issues) : null;
  // A Docker host's containers are hosts behind it: every peer reaches them routed through the target.
  const containerNames = (docker?.containers ?? []).map((c) => c.name);
  for (const name of containerNames.filter((n) => topology.behind.some((b) => b.name === n))) {
    issues.add(['docker', 'containers', name], `expected container names other than the hosts under behind, found ${name} in both: expectations could not tell them apart`);
  }
  const behindNames = [...topology.behind.map((b) => b.name), ...containerNames];
  if (input.expect) {
    drafts.addVantageInputs(input.expect, vantages, behindNames, (vantage, host) => {
      if (containerNames.includes(host)) return true;
      // As the lab scans them (run/lab-setup.ts): a peer scans a host behind only from another network.
      const inner = topology.behind.find((b) => b.name === host)?.interfaces[0].network;
      return !topology.peers.find((p) => p.name === vantage)?.interfaces.some((i) => i.network === inner);
    });
    drafts.addExposedPorts(Array.isArray(input.expect['exposed']) ? input.expect['exposed'] : undefined, vantages);
  }
  // Published ports are the target's ports: scanned like its services, though dockerd, not fwprobe, opens them.
  const scan = computeScan(input.ports, [...services, ...publishedPorts(docker)], drafts.rangesByProtocol(), issues);
  for (const host of topology.behind) {
    const named = drafts.rangesByProtocol(host.name);
    for (const protocol of ['tcp', 'udp'] as const) {
      const own = host.services.filter((s) => s.protocol === protocol).map((s) => s.port);
      host.scan[protocol] = [...new Set([...own, ...expandRanges(named[protocol])])].sort((a, b) => a - b);
    }
  }
  const scanned = scannedProtocols(scan);
  drafts.checkOthersAreScanned(scanned);
  drafts.addExposedOthers((host) => {
    if (host === undefined) return scanned;
    // A container is probed on its services and the ports its expectations name (run/docker-reach.ts).
    const container = docker?.containers.find((c) => c.name === host);
    if (container) return (['tcp', 'udp'] as const).filter((p) => container.services.some((s) => s.protocol === p) || drafts.rangesByProtocol(host)[p].length > 0);
    return (['tcp', 'udp'] as const).filter((p) => topology.behind.find((b) => b.name === host)!.scan[p].length > 0);
  });
  const expectations = drafts.build();
  // A container on a network without IPv6 (docker0 without ip6tables, a user bridge without ipv6) has no
  // IPv6 address: such an expectation could never be met.
  for (const e of expectations.filter((x) => x.family === 'ipv6' && x.host !== undefined)) {
    const container = docker?.containers.find((c) => c.name === e.host);
    if (!docker || !container || containerSubnets(docker, container).ipv6 !== null) continue;
    const why =
      container.network === DOCKER_DEFAULT_NETWORK
        ? "with ip6tables off dockerd gives it no IPv6 address (IPv6 reaches its published ports on the target's own addresses)"
        : `its network ${container.network} has no ipv6 subnet (docker.networks.${container.network}.ipv6)`;
    issues.add(['expect', e.vantage, 'behind', e.host!], `expected ipv4 expectations only for container ${e.host}: ${why}`);
  }
  const parity = normaliseParity(input.parity, vantages, scan, issues);
  if (scanned.length === 0) {
    issues.add(['services'], 'expected at least one port to scan (services, ports or an expectation), found none: nothing would be scanned');
  }
  // A scenario that asserts nothing would pass whatever the scans saw: a green result that proves nothing.
  // Strict parity is the default, but only a scenario that writes it down means "the families agree" as its
  // one assertion; one that forgot its expectations is told so.
  if (expectations.length === 0 && !explicitlyStrict(input.parity)) {
    issues.add(['expect'], 'expected at least one expectation (or `parity: strict` written out, to assert only that IPv4 and IPv6 agree), found none: this scenario would pass whatever the scans see');
  }
  const scenario: Omit<Scenario, 'ruleset'> = {
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    file,
    services,
    backend: input.backend ?? 'nft',
    attribution: input.attribution ?? true,
    vantages,
    scan,
    expectations,
    parity,
    sources,
    topology,
    ...(docker ? { docker } : {}),
  };
  return { scenario, plan };
}

function explicitlyStrict(parity: ScenarioInput['parity']): boolean {
  return parity === 'strict' || (typeof parity === 'object' && parity.mode === 'strict');
}

/** Default: loopback and every peer. Otherwise each named vantage must be loopback or a peer, once. */
function normaliseVantages(input: readonly Vantage[] | undefined, topology: Topology, issues: IssueList): Vantage[] {
  const known = [LOOPBACK, ...topology.peers.map((p) => p.name)];
  if (!input) return known;
  const seen = new Set<Vantage>();
  input.forEach((vantage, index) => {
    if (seen.has(vantage)) issues.add(['vantages', index], `expected each vantage once, found ${vantage} again`);
    else if (!known.includes(vantage)) issues.add(['vantages', index], `expected loopback or a peer [${known.slice(1).join(', ')}], found ${vantage}`);
    seen.add(vantage);
  });
  return known.filter((v) => seen.has(v));
}

const REFERENCE_HEADLINES: Record<ReferenceProblem['code'], string> = {
  SCENARIO_PATH_OUTSIDE: 'names a file outside its folder',
  SCENARIO_TOO_LARGE: 'names a file above the size limit',
  SCENARIO_FILE_MISSING: 'names a ruleset file that cannot be read',
};

/** One error for every unusable file; its code is the gravest problem's (outside, then too large, then missing). */
function referenceError(problems: readonly ReferenceProblem[], options: NormaliseOptions): ScenarioError {
  const codes = Object.keys(REFERENCE_HEADLINES) as ReferenceProblem['code'][];
  const code = codes.find((c) => problems.some((p) => p.code === c)) ?? 'SCENARIO_FILE_MISSING';
  const issues = problems.map(({ path, message }) => ({ path, message }));
  return new ScenarioError(code, options.file, withPositions(issues, options), {
    headline: `Scenario ${options.file} ${REFERENCE_HEADLINES[code]}:`,
  });
}

function invalid(options: NormaliseOptions, issues: readonly ScenarioIssue[]): ScenarioError {
  return new ScenarioError('SCENARIO_INVALID', options.file, withPositions(issues, options));
}

/** Adds source positions and sorts by them, so the message reads top to bottom like the file. */
function withPositions(issues: readonly ScenarioIssue[], options: NormaliseOptions): ScenarioIssue[] {
  return issues
    .map((issue) => {
      const pos = options.locate?.(issue.path);
      return pos ? { ...issue, line: pos.line, column: pos.column } : issue;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
