/**
 * fwprobe.sarif: SARIF 2.1.0 for code-scanning tools (GitHub's code scanning, IDE viewers). A result per
 * unexpected exposure, per IPv4/IPv6 parity gap, per other expectation mismatch, per unverified rule and
 * per scenario that could not run; a note per finding of the static lint and per rate-dependent rule. A
 * result is located where the fix is: the line of the rule that decided the port (attribution) when it is
 * a file of the repository, with the scenario's line as a related location; else the scenario file's line
 * (the key that says what is wrong: `ruleset` for exposures and gaps, `expect` for mismatches). Rule ids
 * are a contract: never rename.
 */
import { attributionText } from '../model/attribution.ts';
import type { Family, Protocol } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import { hostOf } from './columns.ts';
import { isUnexpectedExposure } from './matrix.ts';
import { interruptedText, sha256, type ResultsDocument, type ScenarioEntry } from './results-document.ts';
import { artifactOf, decidingLine, moreOpenFamily, observationAt, sarifPaths, type ArtifactLocation, type RuleLine, type SarifPaths } from './sarif-location.ts';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

const RULES = [
  {
    id: 'fwprobe/unexpected-exposure',
    name: 'UnexpectedExposure',
    text: 'A port answered (open, or a datagram delivered) where the scenario expects it not to.',
    level: 'error',
  },
  {
    id: 'fwprobe/parity-gap',
    name: 'ParityGap',
    text: 'A port answers differently over IPv4 and IPv6 from the same vantage (the IPv6 gap).',
    level: 'warning',
  },
  { id: 'fwprobe/mismatch', name: 'ExpectationMismatch', text: 'A port is not in the state the scenario expects.', level: 'error' },
  {
    id: 'fwprobe/unverified',
    name: 'UnverifiedRule',
    text: "A rule matches on something fwprobe's clients do not vary, so its effect on other senders is unverified.",
    level: 'error',
  },
  { id: 'fwprobe/scenario-error', name: 'ScenarioError', text: 'The scenario could not run: no verdict was taken.', level: 'error' },
  {
    id: 'fwprobe/ruleset-lint',
    name: 'RulesetLint',
    text: 'Read from the applied rules, not scanned: what the IPv4 rules restrict that the IPv6 rules leave open, or rules the lint could not read.',
    level: 'note',
  },
  {
    id: 'fwprobe/rate-dependent',
    name: 'RateDependentRule',
    text: 'A rule makes verdicts depend on rate or chance (limit, recent, statistic…): clients were sent before the scans.',
    level: 'note',
  },
] as const satisfies readonly { id: string; name: string; text: string; level: Level }[];

type RuleId = (typeof RULES)[number]['id'];

interface Located {
  vantage?: string;
  family?: Family;
  protocol?: Protocol;
  port?: number;
  host?: string;
}

interface PhysicalLocation {
  physicalLocation: { artifactLocation: ArtifactLocation; region: { startLine: number } };
}

interface SarifResult {
  ruleId: RuleId;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: PhysicalLocation[];
  relatedLocations?: (PhysicalLocation & { id: number; message: { text: string } })[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

/** SARIF of a results document; `paths` says what the results' paths are relative to and where the repository is. */
export function renderSarif(doc: ResultsDocument, paths: SarifPaths = sarifPaths()): string {
  const results = doc.scenarios.flatMap((s) => resultsOf(s, paths));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'fwprobe',
            version: doc.fwprobe.version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.text },
              defaultConfiguration: { level: r.level },
              properties: { tags: ['security', 'firewall'] },
            })),
          },
        },
        invocations: [invocation(doc)],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/**
 * The run itself: successful only when every scenario ran and the run was not stopped. An interrupted run
 * says so as an error notification (code scanning shows it as a tool error), and names the signal: its
 * results are only the scenarios that had finished, never a complete, green run.
 */
function invocation(doc: ResultsDocument): Record<string, unknown> {
  const stopped = interruptedText(doc);
  const signal = doc.interrupted?.signal;
  return {
    executionSuccessful: doc.summary.error === 0 && stopped === null,
    startTimeUtc: doc.startedAt,
    endTimeUtc: doc.generatedAt,
    ...(stopped === null
      ? {}
      : {
          // exitSignalName takes a signal's name; vitest's own interruption (or a merged "SIGTERM in a/") is not one.
          ...(signal && /^SIG[A-Z]+$/.test(signal) ? { exitSignalName: signal } : {}),
          toolExecutionNotifications: [{ level: 'error', descriptor: { id: 'fwprobe/interrupted' }, message: { text: printable(stopped) } }],
          properties: { interrupted: { signal } },
        }),
  };
}

/** The scenario's key a result falls back to, and what the related location calls it. */
type Key = 'ruleset' | 'expect' | 'parity';

function resultsOf(s: ScenarioEntry, paths: SarifPaths): SarifResult[] {
  const out: SarifResult[] = [];
  const scenarioAt = (line: number) => ({ physicalLocation: { artifactLocation: artifactOf(s.file, paths), region: { startLine: line } } });
  const add = (ruleId: RuleId, level: Level, message: string, key: Key | undefined, at: Located = {}, rule: RuleLine | null = null) => {
    const host = hostOf(at);
    const where = [at.vantage, host, at.family, at.protocol, at.port].filter((x) => x !== undefined).join(' ');
    const line = lineNumber(key === 'parity' ? (s.lines?.parity ?? s.lines?.ruleset) : key ? s.lines?.[key] : undefined) ?? lineNumber(s.lines?.name) ?? 1;
    const decided = rule ? `; decided by ${attributionText(rule.attribution)}` : '';
    out.push({
      ruleId,
      ruleIndex: RULES.findIndex((r) => r.id === ruleId),
      level,
      message: { text: `${printable(s.name)}: ${printable(message)}${decided}` },
      locations: [rule ? { physicalLocation: { artifactLocation: artifactOf(rule.file, paths), region: { startLine: rule.line } } } : scenarioAt(line)],
      ...(rule ? { relatedLocations: [{ id: 1, ...scenarioAt(line), message: { text: `the scenario's ${key ?? 'name'}: line` } }] } : {}),
      // The same finding keeps its fingerprint from run to run (and from before results pointed at rules), so
      // a code-scanning alert is tracked, not re-raised.
      partialFingerprints: { 'fwprobe/v1': sha256([ruleId, s.file, s.name, where, message].join('\u0000')) },
      properties: { scenario: s.name, ...at, ...(host ? { host } : {}), ...(rule ? { rule: { file: rule.file, line: rule.line } } : {}) },
    });
  };
  if (s.status === 'error') add('fwprobe/scenario-error', 'error', `${s.errorCode ?? 'ERROR'}: ${(s.error ?? '').split('\n')[0]}`, undefined);
  const v = s.verdict;
  const decided = (x: Located) => decidingLine(observationAt(s.observations ?? [], x), paths);
  if (v) {
    for (const m of v.mismatches) {
      const exposed = isUnexpectedExposure(m);
      add(exposed ? 'fwprobe/unexpected-exposure' : 'fwprobe/mismatch', 'error', m.message, exposed ? 'ruleset' : 'expect', at(m), decided(m));
    }
    for (const m of [...v.missing, ...v.othersMismatches]) add('fwprobe/mismatch', 'error', m.message, 'expect', at(m));
    for (const f of v.parity) {
      if (f.excusedBy !== null) continue;
      const located = { ...at(f), port: f.port };
      add('fwprobe/parity-gap', v.parityMode === 'strict' ? 'error' : 'warning', f.message, 'parity', located, decided({ ...located, family: moreOpenFamily(f) }));
    }
    for (const u of v.unverified) add('fwprobe/unverified', 'error', `${u.family} rule matches on ${u.match}: ${u.rule}`, 'ruleset', { family: u.family });
  }
  for (const finding of s.staticParity ?? []) add('fwprobe/ruleset-lint', 'note', `static parity: ${finding}`, 'ruleset');
  for (const r of s.rateDependent ?? []) add('fwprobe/rate-dependent', 'note', `${r.family} ${r.match}: ${r.rule}`, 'ruleset', { family: r.family });
  return out;
}

function at(x: Located & object): Located {
  const { vantage, family, protocol, port } = x;
  const host = hostOf(x);
  return { ...(vantage ? { vantage } : {}), ...(family ? { family } : {}), ...(protocol ? { protocol } : {}), ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}) };
}

/** A line SARIF accepts (an integer ≥ 1), or undefined: results.json read back by merge-reports is not trusted. */
function lineNumber(line: unknown): number | undefined {
  return typeof line === 'number' && Number.isInteger(line) && line >= 1 ? line : undefined;
}
