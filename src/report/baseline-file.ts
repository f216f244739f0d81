/**
 * The exposure baseline committed beside a scenario (`NAME.baseline.json` next to `NAME.scenario.yaml`):
 * written by `fwprobe baseline`, read by `fwprobe check`. Made for code review: one line per vantage ×
 * host × family × protocol in a stable order, ports as ranges, no timestamps, so that a change of
 * exposure is a one-line diff. The fwprobe version and a hash of the applied rulesets are recorded for
 * the reader; the comparison is about exposure only.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { BaselineInvalidError } from '../model/errors.ts';
import { parsePortSpec, formatPortSpec } from '../model/ports.ts';
import type { AppliedRuleset } from '../model/ruleset.ts';
import { sliceKey, sortedEntries, portsWith, type Exposure, type ExposureSnapshot } from './exposure.ts';
import { describeIssues, parseJsonText } from './input-issues.ts';

export interface BaselineDocument {
  /** The fwprobe version that wrote it. */
  fwprobe: string;
  scenario: string;
  /** `sha256:` of the applied v4 and v6 rulesets, counters and comments left out. */
  rulesets: string;
  exposure: ExposureSnapshot;
}

/** `dir/web.scenario.yaml` → `dir/web.baseline.json` (also for `.scenario.yml` and `.scenario.ts`). */
export function baselinePathFor(scenarioFile: string): string {
  const name = basename(scenarioFile)
    .replace(/\.scenario\.(ya?ml|ts)$/, '')
    .replace(/\.(ya?ml|ts)$/, '');
  return join(dirname(scenarioFile), `${name}.baseline.json`);
}

// Docker's embedded DNS adds these nat chains in every container on a user network, with a random port
// each time: they are the lab's, not the ruleset's.
const DOCKER_DNS_CHAINS = /\bDOCKER_(OUTPUT|POSTROUTING)\b/;

/**
 * The applied rulesets' fingerprint. iptables-save's packet counters and comment lines (with their
 * dates), and Docker's DNS rules, change from run to run without any rule of the user's changing: they
 * are left out.
 */
export function rulesetsHash(applied: AppliedRuleset | null): string {
  const clean = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('#') && !DOCKER_DNS_CHAINS.test(line))
      .map((line) => line.replace(/\s*\[\d+:\d+\]\s*$/, '').trimEnd())
      .join('\n')
      .trim();
  const text = applied ? `v4\n${clean(applied.v4)}\nv6\n${clean(applied.v6)}\n` : 'none\n';
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The file's text: one line per slice, `open` and `shut` always, `delivered` when there are any. */
export function renderBaseline(doc: BaselineDocument): string {
  const lines = sortedEntries(doc.exposure).map((entry) => {
    const spec = (e: Exposure) => {
      const ports = portsWith(entry, e);
      return ports.length === 0 ? '' : formatPortSpec(ports);
    };
    const delivered = spec('delivered');
    const fields: Record<string, string> = {
      vantage: entry.vantage,
      host: entry.host,
      family: entry.family,
      protocol: entry.protocol,
      open: spec('open'),
      ...(delivered ? { delivered } : {}),
      shut: spec('shut'),
    };
    return `    ${JSON.stringify(fields)}`;
  });
  const head = ['{', '  "format": 1,', `  "fwprobe": ${JSON.stringify(doc.fwprobe)},`, `  "scenario": ${JSON.stringify(doc.scenario)},`, `  "rulesets": ${JSON.stringify(doc.rulesets)},`];
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

const entrySchema = z.strictObject({
  vantage: z.string().min(1),
  host: z.string().min(1),
  family: z.enum(['ipv4', 'ipv6']),
  protocol: z.enum(['tcp', 'udp']),
  open: portList,
  delivered: portList.optional(),
  shut: portList,
});

const baselineSchema = z.strictObject({
  format: z.literal(1, { error: 'expected 1 (the only baseline format this fwprobe reads)' }),
  fwprobe: z.string().min(1),
  scenario: z.string(),
  rulesets: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256: and 64 hex digits' }),
  exposure: z.array(entrySchema),
});

/**
 * Reads a baseline's text.
 * @throws BaselineInvalidError naming the file and each field that is wrong, and what to do.
 */
export function parseBaseline(text: string, file: string): BaselineDocument {
  const fail = (detail: string) => new BaselineInvalidError(`${detail}\nFix it, or write it again with \`fwprobe baseline\` for this scenario.`);
  const parsed = baselineSchema.safeParse(parseJsonText(text, file, fail));
  if (!parsed.success) throw fail(`${file} is not a valid fwprobe baseline:\n${describeIssues(parsed.error.issues)}`);
  const exposure: ExposureSnapshot = new Map();
  const problems: string[] = [];
  parsed.data.exposure.forEach((item, index) => {
    const slice = { vantage: item.vantage, host: item.host, family: item.family, protocol: item.protocol };
    const key = sliceKey(slice);
    if (exposure.has(key)) problems.push(`  exposure[${index}]: ${item.vantage} ${item.host} ${item.family} ${item.protocol} is listed twice`);
    const ports = new Map<number, Exposure>();
    for (const field of ['open', 'delivered', 'shut'] as const) {
      const spec = item[field];
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
  return { fwprobe: parsed.data.fwprobe, scenario: parsed.data.scenario, rulesets: parsed.data.rulesets, exposure };
}
