/**
 * results.json read back (by `fwprobe diff` and `fwprobe merge-reports`): checked with zod for the
 * fields those commands use, other fields kept as they are. A file from another fwprobe is named with
 * the field it lacks, never half-read.
 */
import { z } from 'zod';
import { FWPROBE_ERROR_CODES, ResultsFileError } from '../model/errors.ts';
import { PORT_STATES } from '../model/observation.ts';
import type { ScenarioResult } from './result.ts';
import { describeIssues, parseJsonText } from './input-issues.ts';

const family = z.enum(['ipv4', 'ipv6']);
const protocol = z.enum(['tcp', 'udp']);
const state = z.enum(PORT_STATES as [string, ...string[]]);

const observation = z.looseObject({
  vantage: z.string().min(1),
  host: z.string().min(1).optional(),
  family,
  protocol,
  port: z.number().int().min(1).max(65535),
  state,
});

const summary = z.looseObject({
  vantage: z.string().min(1),
  host: z.string().min(1).optional(),
  family,
  protocol,
  state,
  ports: z.string().nullable(),
});

const scenario = z.looseObject({
  name: z.string(),
  file: z.string(),
  status: z.enum(['passed', 'failed', 'error']),
  error: z.string().optional(),
  // Files written before INTERNAL existed call a bug in fwprobe UNEXPECTED.
  errorCode: z
    .enum([...FWPROBE_ERROR_CODES, 'UNEXPECTED'])
    .transform((code) => (code === 'UNEXPECTED' ? 'INTERNAL' : code))
    .optional(),
  observations: z.array(observation),
  others: z.array(summary),
});

const document = z.looseObject({
  version: z.literal(1, { error: 'expected 1 (the results.json version this fwprobe reads)' }),
  // A plain string in early files, { version } since the reports carry more about the run.
  fwprobe: z.union([z.string(), z.object({ version: z.string() })]).optional(),
  scenarios: z.array(scenario),
  interrupted: z.object({ signal: z.string() }).optional(),
});

export interface ResultsInput {
  file: string;
  /** The fwprobe that wrote it; null for files written before the field existed. */
  fwprobe: string | null;
  /** Checked for the fields above; the rest as written (same fwprobe version: the full result). */
  scenarios: ScenarioResult[];
  /** The signal that stopped the run that wrote it (its scenarios are only those that had finished); null when it ran to the end. */
  interrupted: string | null;
}

/**
 * Reads a results.json text.
 * @throws ResultsFileError naming the file and each field that is wrong.
 */
export function parseResultsDocument(text: string, file: string): ResultsInput {
  const fail = (detail: string) => new ResultsFileError(`${detail}\nGive a results.json written by \`fwprobe run\` or \`npm test\` (reports/results.json).`);
  const parsed = document.safeParse(parseJsonText(text, file, fail));
  if (!parsed.success) throw fail(`${file} is not a results.json fwprobe can read:\n${describeIssues(parsed.error.issues)}`);
  const writer = parsed.data.fwprobe;
  return {
    file,
    fwprobe: typeof writer === 'string' ? writer : (writer?.version ?? null),
    scenarios: parsed.data.scenarios as unknown as ScenarioResult[],
    interrupted: parsed.data.interrupted?.signal ?? null,
  };
}

/** How a scenario is matched between two files: its file and its name. */
export function scenarioKey(result: Pick<ScenarioResult, 'file' | 'name'>): string {
  return `${result.file}\0${result.name}`;
}
