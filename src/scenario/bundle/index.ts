/**
 * From a bundle's text to the files of a captured scenario: the envelope checked, the host's facts read,
 * the scenario mapped and written as YAML with what it does not reproduce said at its top.
 */
import { stringify } from 'yaml';
import { hostFacts } from './host.ts';
import { parseBundle } from './schema.ts';
import { toScenario } from './to-scenario.ts';

export { collectScript, BUNDLE_FORMAT } from './collect-script.ts';
export { MAX_BUNDLE_BYTES } from './schema.ts';

/** The scenario file capture writes; its ruleset files sit beside it. */
export const CAPTURED_SCENARIO_FILE = 'host.scenario.yaml';

export interface CaptureOutput {
  /** File name → content: the scenario file and its ruleset files. */
  files: Record<string, string>;
  notes: string[];
}

/** @throws BundleInvalidError naming the field, before anything is written. */
export function captureBundle(text: string, where: string): CaptureOutput {
  const { scenario, files, notes } = toScenario(hostFacts(parseBundle(text, where)));
  const header = [
    `# Captured by fwprobe capture from ${(where.split('/').pop() ?? 'a bundle').replace(/[^\x20-\x7e]/g, '?')}.`,
    '# Its one assertion is `parity: strict`: `fwprobe run` fails on any port IPv6 exposes differently from',
    '# IPv4. `fwprobe baseline` records what the host exposes now; `fwprobe check` then says when that changes.',
    ...(notes.length > 0 ? ['# Notes (what is not read or not reproduced):', ...notes.map((n) => `#  - ${n.replace(/[^\x20-\x7e]/g, '?')}`)] : []),
  ];
  return { files: { [CAPTURED_SCENARIO_FILE]: `${header.join('\n')}\n${stringify(scenario, { lineWidth: 0 })}`, ...files }, notes };
}
