/**
 * fwprobe.sarif: SARIF 2.1.0 for code-scanning tools (GitHub's code scanning, IDE viewers). A result per
 * unexpected exposure, per IPv4/IPv6 parity gap, per other expectation mismatch, per unverified rule and
 * per scenario that could not run, each located at the scenario file's line (the key that says what is
 * wrong: `ruleset` for exposures and gaps, `expect` for mismatches). Rule ids are a contract: never rename.
 */
import type { Family, Protocol } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import { hostOf } from './columns.ts';
import { isUnexpectedExposure } from './matrix.ts';
import { sha256, type ResultsDocument, type ScenarioEntry } from './results-document.ts';

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
] as const satisfies readonly { id: string; name: string; text: string; level: Level }[];

type RuleId = (typeof RULES)[number]['id'];

interface Located {
  vantage?: string;
  family?: Family;
  protocol?: Protocol;
  port?: number;
  host?: string;
}

interface SarifResult {
  ruleId: RuleId;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

export function renderSarif(doc: ResultsDocument): string {
  const results = doc.scenarios.flatMap(resultsOf);
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
        invocations: [{ executionSuccessful: doc.summary.error === 0, startTimeUtc: doc.startedAt, endTimeUtc: doc.generatedAt }],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function resultsOf(s: ScenarioEntry): SarifResult[] {
  const out: SarifResult[] = [];
  const add = (ruleId: RuleId, level: Level, message: string, line: number | undefined, at: Located = {}) => {
    const host = hostOf(at);
    const where = [at.vantage, host, at.family, at.protocol, at.port].filter((x) => x !== undefined).join(' ');
    out.push({
      ruleId,
      ruleIndex: RULES.findIndex((r) => r.id === ruleId),
      level,
      message: { text: `${printable(s.name)}: ${printable(message)}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(s.file), uriBaseId: '%SRCROOT%' }, region: { startLine: lineNumber(line) ?? lineNumber(s.lines?.name) ?? 1 } } }],
      // The same finding keeps its fingerprint from run to run, so a code-scanning alert is tracked, not re-raised.
      partialFingerprints: { 'fwprobe/v1': sha256([ruleId, s.file, s.name, where, message].join('\u0000')) },
      properties: { scenario: s.name, ...at, ...(host ? { host } : {}) },
    });
  };
  if (s.status === 'error') add('fwprobe/scenario-error', 'error', `${s.errorCode ?? 'ERROR'}: ${(s.error ?? '').split('\n')[0]}`, undefined);
  const v = s.verdict;
  if (!v) return out;
  for (const m of v.mismatches) {
    const exposed = isUnexpectedExposure(m);
    add(exposed ? 'fwprobe/unexpected-exposure' : 'fwprobe/mismatch', 'error', m.message, exposed ? s.lines?.ruleset : s.lines?.expect, at(m));
  }
  for (const m of [...v.missing, ...v.othersMismatches]) add('fwprobe/mismatch', 'error', m.message, s.lines?.expect, at(m));
  for (const f of v.parity) {
    if (f.excusedBy !== null) continue;
    add('fwprobe/parity-gap', v.parityMode === 'strict' ? 'error' : 'warning', f.message, s.lines?.parity ?? s.lines?.ruleset, { ...at(f), port: f.port });
  }
  for (const u of v.unverified) add('fwprobe/unverified', 'error', `${u.family} rule matches on ${u.match}: ${u.rule}`, s.lines?.ruleset, { family: u.family });
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

/** A relative URI from a path relative to the working directory (forward slashes, each segment encoded). */
function fileUri(file: string): string {
  return file
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
