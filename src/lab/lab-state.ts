/**
 * What the self-check records of the target (rules, listeners, addresses, routes, interfaces), normalised so
 * that two snapshots compare as text, and the comparisons: the state before the scans against the state
 * after them (or after the trace rules are gone), and the interfaces before the ruleset against after it.
 */
import { LabChangedError, LabSelfCheckError } from '../model/errors.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { SETTLE_MS } from './dad.ts';

/** The parts of the target that a verdict depends on, normalised so that two snapshots compare as text. */
export interface LabState {
  /** `*-save` of both families, and every table as `nft -s list ruleset` prints it (native nft tables too). */
  ruleset: { v4: string; v6: string; nft: string };
  listening: string[];
  addresses: string[];
  routes: string[];
  /** `ip -o link`: interfaces with their MTU and queueing discipline (a shaper on lo would slow every probe). */
  links: string[];
}

/** `ip -o link show`, without what moves with traffic (counters, the link-layer address line). */
export function normaliseLinks(stdout: string): string[] {
  return lines(stdout).map((l) => l.replace(/\\\s+link\/.*$/, '').trim());
}

/** The target's interfaces now (name, flags, MTU, qdisc), as `LabState.links` has them. */
export async function readLinks(host: StartedFwprobeContainer): Promise<string[]> {
  return normaliseLinks(await host.runOk(['ip', '-o', 'link', 'show'], { phase: 'reading the interfaces' }));
}

/**
 * A ruleset is rules: one that also shapes, resizes or downs an interface (a `tc` shaper, an MTU of 68)
 * makes ports read filtered with no firewall rule at all, so that is an error naming the change.
 */
export function assertLinksUntouched(beforeRuleset: readonly string[], afterRuleset: readonly string[]): void {
  const changes = diff('interfaces', beforeRuleset, afterRuleset);
  if (changes.length > 0) {
    throw new LabSelfCheckError(
      `Applying the ruleset changed the target's interfaces, not only its rules:\n- ${changes.join('\n- ')}\n` +
        'A queueing discipline, MTU or link state can make ports read filtered without any firewall rule: ' +
        'keep such commands out of the ruleset fwprobe tests.',
    );
  }
}

/** Throws LabChangedError naming every difference between the state before and after the scans. */
export function assertUnchanged(before: LabState, after: LabState): void {
  const changes = [
    ...diff('iptables rules (v4)', lines(before.ruleset.v4), lines(after.ruleset.v4)),
    ...diff('ip6tables rules (v6)', lines(before.ruleset.v6), lines(after.ruleset.v6)),
    ...diff('nft ruleset', lines(before.ruleset.nft), lines(after.ruleset.nft)),
    ...diff('listening sockets', before.listening, after.listening),
    ...diff('addresses', before.addresses, after.addresses),
    ...diff('routes', before.routes, after.routes),
    ...diff('interfaces', before.links, after.links),
  ];
  if (changes.length > 0) {
    throw new LabChangedError(
      `The target changed while it was scanned, so the observations do not describe the recorded ruleset:\n- ` +
        `${changes.join('\n- ')}\n${before.addresses.some((l) => /\btentative\b/.test(l)) ? DAD_HINT : 'Something still running in the target (a job the ruleset left behind?) changed it.'}`,
    );
  }
}

const DAD_HINT =
  `An IPv6 address was still tentative (duplicate address detection) ${SETTLE_MS / 1000} s after the lab was up, and ` +
  'settled during the scans; run again on a less loaded machine, or add the address with `nodad` in the ruleset script.';

function diff(what: string, before: readonly string[], after: readonly string[]): string[] {
  const gone = before.filter((l) => !after.includes(l));
  const added = after.filter((l) => !before.includes(l));
  return [...gone.map((l) => `${what}: gone: ${l}`), ...added.map((l) => `${what}: new: ${l}`)];
}

/** Comments carry dates, and counters move with every packet: neither is part of the ruleset. */
export function normaliseSave(text: string): string {
  return (
    lines(text)
      .filter((l) => !l.startsWith('#'))
      // `*-save -c` puts a rule's counters in front of it.
      .map((l) => l.replace(/ \[\d+:\d+\]$/, '').replace(/^\[\d+:\d+\] /, ''))
      .sort()
      .join('\n')
  );
}

/** Non-empty lines, trailing blanks cut, sorted: the form every compared list has. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .sort();
}
