/**
 * Validates a scenario input (parsed YAML or a `defineScenario` object) and turns it into the runner's
 * `Scenario`. All problems in a file are reported together, each with its field path and, for YAML, its
 * line and column.
 */
import { VANTAGES, type Vantage } from '../model/observation.ts';
import { PresetError } from '../model/errors.ts';
import { generateRuleset } from '../ruleset/generate-entry.ts';
import { ScenarioError } from '../model/errors.ts';
import { ExpectationDrafts } from './expectations.ts';
import { IssueList, type FieldPath, type ScenarioIssue } from '../source/issues.ts';
import { normaliseParity } from './parity-input.ts';
import { planRuleset, readRuleset } from './ruleset.ts';
import { scenarioFolder, type ReferenceProblem } from './referenced-file.ts';
import { computeScan, scannedProtocols } from './scan-selection.ts';
import { rulesetForms, scenarioInputSchema, type ScenarioInput } from './schema.ts';
import { normaliseServices } from './services.ts';
import { normaliseSources } from './sources-schema.ts';
import type { Scenario, ScenarioLines } from '../model/scenario.ts';
import type { SourcePosition } from '../source/yaml.ts';
import { fromZodIssues } from '../source/zod-issues.ts';

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
  if (!parsed.success) throw invalid(options, withRulesetFormIssues(fromZodIssues(parsed.error.issues, raw), raw));
  const issues = new IssueList();
  const { scenario, plan } = normaliseChecked(parsed.data, options.file, issues);
  if (!issues.empty || !plan) throw invalid(options, issues.items);
  const folder = await scenarioFolder(options.file);
  const read = await readRuleset(plan, folder, { allowOutside: parsed.data.paths?.allowOutside ?? false });
  if ('problems' in read) throw referenceError(read.problems, options);
  const ruleset = read.ruleset.kind === 'generate' ? generateOnce(read.ruleset, options) : read.ruleset;
  const lines = keyLines(parsed.data, options);
  return { ...scenario, ruleset, ...(lines ? { lines } : {}) };
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

type GenerateSpec = Extract<Scenario['ruleset'], { kind: 'generate' }>;

/**
 * The generator runs once, here: a bad preset, parameter or policy is a problem of this file, found at load
 * time with its field and line (not after a lab has been started for nothing), and the lab applies the
 * texts generated here.
 */
function generateOnce(ruleset: GenerateSpec, options: NormaliseOptions): GenerateSpec {
  try {
    return { ...ruleset, generated: generateRuleset(ruleset) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const field = error instanceof PresetError ? error.field : 'policy';
    throw new ScenarioError('SCENARIO_INVALID', options.file, withPositions([{ path: ['ruleset', field], message }], options), {
      cause: error,
    });
  }
}

/**
 * zod 4 reports a failed union through one branch only, so `ruleset: { v4: 5 }` read as "unknown field v4".
 * When the ruleset's keys name exactly one form, that form's own issues are what the user needs.
 */
function withRulesetFormIssues(issues: ScenarioIssue[], raw: unknown): ScenarioIssue[] {
  const ruleset = typeof raw === 'object' && raw !== null ? (raw as { ruleset?: unknown }).ruleset : undefined;
  if (typeof ruleset !== 'object' || ruleset === null) return issues;
  const keys = Object.keys(ruleset);
  const forms = rulesetForms.filter((form) => keys.some((key) => (form.keys as readonly string[]).includes(key)));
  const form = forms.length === 1 ? forms[0] : undefined;
  const result = form?.schema.safeParse(ruleset);
  if (!result || result.success) return issues;
  return [
    ...issues.filter((issue) => issue.path[0] !== 'ruleset'),
    ...fromZodIssues(result.error.issues, ruleset).map((issue) => ({ ...issue, path: ['ruleset', ...issue.path] })),
  ];
}

function normaliseChecked(input: ScenarioInput, file: string, issues: IssueList) {
  const vantages = normaliseVantages(input.vantages, issues);
  const services = normaliseServices(input.services ?? [], issues);
  const plan = planRuleset(input.ruleset, issues);
  const drafts = new ExpectationDrafts(issues);
  if (input.expect) {
    drafts.addVantageInputs(input.expect, vantages);
    drafts.addExposedPorts(input.expect.exposed ?? [], vantages);
  }
  const scan = computeScan(input.ports, services, drafts.rangesByProtocol(), issues);
  const scanned = scannedProtocols(scan);
  drafts.checkOthersAreScanned(scanned);
  if (input.expect?.exposed?.length && vantages.includes('peer')) drafts.addExposedOthers(scanned);
  const expectations = drafts.build();
  const parity = normaliseParity(input.parity, vantages, scan, issues);
  if (scanned.length === 0) {
    issues.add(['services'], 'expected at least one port to scan (services, ports or an expectation), found none: nothing would be scanned');
  }
  // A scenario that asserts nothing would pass whatever the scans saw: a green result that proves nothing.
  if (expectations.length === 0 && parity.mode !== 'strict') {
    issues.add(['expect'], 'expected at least one expectation (or `parity: strict`), found none: this scenario would pass whatever the scans see');
  }
  const scenario: Omit<Scenario, 'ruleset'> = {
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    file,
    services,
    backend: input.backend ?? 'nft',
    vantages,
    scan,
    expectations,
    parity,
    sources: normaliseSources(input.sources),
  };
  return { scenario, plan };
}

function normaliseVantages(input: readonly Vantage[] | undefined, issues: IssueList): Vantage[] {
  if (!input) return [...VANTAGES];
  const seen = new Set<Vantage>();
  input.forEach((vantage, index) => {
    if (seen.has(vantage)) issues.add(['vantages', index], `expected each vantage once, found ${vantage} again`);
    seen.add(vantage);
  });
  return VANTAGES.filter((v) => seen.has(v));
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
