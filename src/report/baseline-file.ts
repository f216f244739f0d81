/**
 * The exposure baseline committed beside a scenario (`NAME.baseline.json` next to `NAME.scenario.yaml`):
 * written by `fwprobe baseline`, read by `fwprobe check`. Made for code review: one line per vantage ×
 * host × family × protocol in a stable order, ports as ranges, no timestamps, so that a change of
 * exposure is a one-line diff. The fwprobe version and a hash of the applied rulesets are recorded for
 * the reader; the comparison is about exposure only.
 *
 * Format 2 keeps what the firewall admits apart (`open`, `delivered`, `admitted`, `blocked`: admission.ts),
 * and `unverified` (a counted UDP sweep's port the ledger could not decide) when there are any.
 * Format 1 had `open`, `delivered` and `shut` (closed or filtered); it is still read, its `shut` kept as
 * such and compared as `blocked` (see FORMAT_1_NOTE), and its rulesets hash covered iptables-save only.
 */
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { BaselineInvalidError } from '../model/errors.ts';
import { parsePortSpec, formatPortSpec } from '../model/ports.ts';
import { sliceKey, sortedEntries, portsWith, type Exposure, type ExposureSnapshot } from './exposure.ts';
import { describeIssues, parseJsonText } from './input-issues.ts';

export { rulesetsHash } from './rulesets-hash.ts';

/** The baseline format this fwprobe writes. */
export const BASELINE_FORMAT = 2;

export interface BaselineDocument {
  /** 2 when written by this fwprobe; 1 for an older baseline, read and upgraded in memory. */
  format?: 1 | 2;
  /** The fwprobe version that wrote it. */
  fwprobe: string;
  scenario: string;
  /** `sha256:` of the applied rulesets (rulesets-hash.ts); in format 1, of iptables-save's text only. */
  rulesets: string;
  exposure: ExposureSnapshot;
}

/**
 * What `check` says of a format 1 baseline. Its `shut` lumped a port the firewall let through to a host
 * with no listener (closed) together with one it blocked (filtered). Read as `blocked`, the fail-closed
 * reading: a port the firewall admits now is a change (`shut → admitted`) even if it was closed all along,
 * never a pass that hides a newly opened port. Reading it as admitted would let `filtered → closed` pass.
 */
export const FORMAT_1_NOTE =
  'is format 1: its "shut" cannot say whether the firewall admitted a port (closed, no listener) or blocked it (filtered). ' +
  'It is read as blocked, so a port the firewall admits shows as "shut → admitted" even if nothing changed; ' +
  'its rulesets hash covered iptables-save only and is not compared. Review, then write it again with `fwprobe baseline` (format 2).';

/** `dir/web.scenario.yaml` → `dir/web.baseline.json` (also for `.scenario.yml` and `.scenario.ts`). */
export function baselinePathFor(scenarioFile: string): string {
  const name = basename(scenarioFile)
    .replace(/\.scenario\.(ya?ml|ts)$/, '')
    .replace(/\.(ya?ml|ts)$/, '');
  return join(dirname(scenarioFile), `${name}.baseline.json`);
}

/** The file's text (format 2): one line per slice, `open`, `admitted` and `blocked` always, `delivered` and `unverified` when there are any. */
export function renderBaseline(doc: BaselineDocument): string {
  const lines = sortedEntries(doc.exposure).map((entry) => {
    const spec = (e: Exposure) => {
      const ports = portsWith(entry, e);
      return ports.length === 0 ? '' : formatPortSpec(ports);
    };
    const delivered = spec('delivered');
    const unverified = spec('unverified');
    const fields: Record<string, string> = {
      vantage: entry.vantage,
      host: entry.host,
      family: entry.family,
      protocol: entry.protocol,
      open: spec('open'),
      ...(delivered ? { delivered } : {}),
      admitted: spec('admitted'),
      ...(unverified ? { unverified } : {}),
      blocked: spec('blocked'),
    };
    return `    ${JSON.stringify(fields)}`;
  });
  const head = [
    '{',
    `  "format": ${BASELINE_FORMAT},`,
    `  "fwprobe": ${JSON.stringify(doc.fwprobe)},`,
    `  "scenario": ${JSON.stringify(doc.scenario)},`,
    `  "rulesets": ${JSON.stringify(doc.rulesets)},`,
  ];
  const body = lines.length === 0 ? ['  "exposure": []'] : ['  "exposure": [', lines.join(',\n'), '  ]'];
  return `${[...head, ...body, '}'].join('\n')}\n`;
}

const portList = z.string().superRefine((text, ctx) => {
  if (text.trim() === '') return;
  try {
    parsePortSpec(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

const slice = {
  vantage: z.string().min(1),
  host: z.string().min(1),
  family: z.enum(['ipv4', 'ipv6']),
  protocol: z.enum(['tcp', 'udp']),
  open: portList,
  delivered: portList.optional(),
};
const entrySchemas = {
  1: z.strictObject({ ...slice, shut: portList }),
  2: z.strictObject({ ...slice, admitted: portList, unverified: portList.optional(), blocked: portList }),
};
const FIELDS = { 1: ['open', 'delivered', 'shut'], 2: ['open', 'delivered', 'admitted', 'unverified', 'blocked'] } as const;

const head = {
  fwprobe: z.string().min(1),
  scenario: z.string(),
  rulesets: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256: and 64 hex digits' }),
};
const formatSchema = z.looseObject({ format: z.union([z.literal(1), z.literal(2)], { error: 'expected 2 (or 1, an older baseline this fwprobe still reads)' }) });
const baselineSchemas = {
  1: z.strictObject({ format: z.literal(1), ...head, exposure: z.array(entrySchemas[1]) }),
  2: z.strictObject({ format: z.literal(2), ...head, exposure: z.array(entrySchemas[2]) }),
};

/**
 * Reads a baseline's text.
 * @throws BaselineInvalidError naming the file and each field that is wrong, and what to do.
 */
export function parseBaseline(text: string, file: string): BaselineDocument {
  const fail = (detail: string) => new BaselineInvalidError(`${detail}\nFix it, or write it again with \`fwprobe baseline\` for this scenario.`);
  const json = parseJsonText(text, file, fail);
  const version = formatSchema.safeParse(json);
  if (!version.success) throw fail(`${file} is not a valid fwprobe baseline:\n${describeIssues(version.error.issues)}`);
  const format = version.data.format;
  const parsed = baselineSchemas[format].safeParse(json);
  if (!parsed.success) throw fail(`${file} is not a valid fwprobe baseline (format ${format}):\n${describeIssues(parsed.error.issues)}`);
  const exposure: ExposureSnapshot = new Map();
  const problems: string[] = [];
  parsed.data.exposure.forEach((item, index) => {
    const slice = { vantage: item.vantage, host: item.host, family: item.family, protocol: item.protocol };
    const key = sliceKey(slice);
    if (exposure.has(key)) problems.push(`  exposure[${index}]: ${item.vantage} ${item.host} ${item.family} ${item.protocol} is listed twice`);
    const ports = new Map<number, Exposure>();
    for (const field of FIELDS[format]) {
      const spec = (item as Partial<Record<Exposure, string>>)[field];
      if (!spec?.trim()) continue;
      for (const port of parsePortSpec(spec)) {
        const other = ports.get(port);
        if (other) problems.push(`  exposure[${index}].${field}: port ${port} is also in ${other}`);
        ports.set(port, field);
      }
    }
    exposure.set(key, { ...slice, ports });
  });
  if (problems.length > 0) throw fail(`${file} is not a valid fwprobe baseline:\n${problems.slice(0, 20).join('\n')}`);
  return { format, fwprobe: parsed.data.fwprobe, scenario: parsed.data.scenario, rulesets: parsed.data.rulesets, exposure };
}
