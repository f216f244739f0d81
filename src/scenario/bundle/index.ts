/**
 * From a bundle's text to the files of a captured scenario: the envelope checked, the host's facts read,
 * the scenario mapped and written as YAML with what it does not reproduce said at its top.
 */
import { stringify } from 'yaml';
import { BundleInvalidError } from '../../model/errors.ts';
import type { Anonymiser } from './anonymise.ts';
import { hostFacts, type HostFacts } from './host.ts';
import { parseBundle } from './schema.ts';
import { toScenario, type CapturedScenario } from './to-scenario.ts';

export { collectScript, BUNDLE_FORMAT } from './collect-script.ts';
export { MAX_BUNDLE_BYTES } from './schema.ts';

/** The scenario file capture writes; its ruleset files sit beside it. */
export const CAPTURED_SCENARIO_FILE = 'host.scenario.yaml';

export interface CaptureOutput {
  /** File name → content: the scenario file and its ruleset files. */
  files: Record<string, string>;
  notes: string[];
  /** Why an item was not read, by item (`ss`: the listening sockets, so the lab may serve less than the host). */
  unread: HostFacts['unread'];
  /** The host's sockets the lab does not serve (to-scenario.ts). */
  unreproduced: CapturedScenario['unreproduced'];
  rulesetGap: CapturedScenario['rulesetGap'];
}

export interface CaptureOptions {
  /** Maps addresses and names (the same mapper for every bundle of a run keeps them consistent). @default none: the host as it is */
  anonymiser?: Anonymiser;
}

/** @throws BundleInvalidError naming the field, before anything is written. */
export function captureBundle(text: string, where: string, options: CaptureOptions = {}): CaptureOutput {
  const { anonymiser } = options;
  const facts = named(where, () => hostFacts(parseBundle(text, where)));
  const { scenario, files, notes, unreproduced, rulesetGap } = named(where, () => toScenario(anonymiser ? anonymiser.facts(facts) : facts));
  if (anonymiser) notes.push(...anonymiser.notes, 'addresses, the hostname and non-standard interface names are anonymised; rule comments and chain names are kept as written');
  const source = anonymiser ? 'an anonymised bundle' : (where.split('/').pop() ?? 'a bundle').replace(/[^\x20-\x7e]/g, '?');
  const header = [
    `# Captured by fwprobe capture from ${source}.`,
    '# Its one assertion is `parity: strict`: `fwprobe run` fails on any port IPv6 exposes differently from',
    '# IPv4. `fwprobe baseline` records what the host exposes now; `fwprobe check` then says when that changes.',
    ...(notes.length > 0 ? ['# Notes (what is not read or not reproduced):', ...notes.map((n) => `#  - ${n.replace(/[^\x20-\x7e]/g, '?')}`)] : []),
  ];
  const output = { files: { [CAPTURED_SCENARIO_FILE]: `${header.join('\n')}\n${stringify(scenario, { lineWidth: 0 })}`, ...files }, notes, unread: facts.unread, unreproduced, rulesetGap };
  anonymiser?.assertGone(facts, output.files);
  return output;
}

/**
 * Why a run of the captured scenario cannot say "IPv6 is filtered like IPv4", or undefined when it can: the
 * lab does not apply all the host's rules, may serve less than the host (its sockets were not read), or does not serve a socket the host has
 * over IPv6 (bound to a second or link-local IPv6 address the lab's target does not hold). Such a socket is
 * reached over IPv6 alone: its port is never scanned, so a lab finding both families alike says nothing of it.
 */
export function unanswerable(captured: Pick<CaptureOutput, 'unread' | 'unreproduced' | 'rulesetGap'>): string | undefined {
  if (captured.rulesetGap !== null) return `${captured.rulesetGap}, so the lab's filtering is not the host's`;
  if (captured.unread.ss !== undefined) return `the listening sockets were not read (items.ss: ${captured.unread.ss}), so the lab may serve less than the host; collect again`;
  const v6 = captured.unreproduced.filter((u) => u.family === 'ipv6').map((u) => u.socket);
  if (v6.length === 0) return undefined;
  return `the host listens over IPv6 where the lab does not (${v6.slice(0, 5).join(', ')}${v6.length > 5 ? `, ${v6.length - 5} more` : ''}: their addresses are not reproduced), so those ports were not compared`;
}

/** A refusal names the bundle's file first: in a fleet, `items.ss line 3` alone does not say which host. */
function named<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof BundleInvalidError && !error.message.startsWith(`${where}: `)) throw new BundleInvalidError(`${where}: ${error.message}`, { cause: error });
    throw error;
  }
}
