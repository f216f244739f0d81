/**
 * Whether the clients can speak for every sender the ruleset distinguishes: the interfaces it names exist
 * in the lab, not every client source is dropped by its address, and the matches on fields no client varies
 * are acknowledged. Otherwise a "not open" verdict would say nothing about the senders that matter.
 */
import { BlockList } from 'node:net';
import { LabSelfCheckError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import type { AppliedRuleset } from '../model/ruleset.ts';
import type { Scenario } from '../model/scenario.ts';
import { interfaceMatches, interfaceNames, untriedSourcePorts, unvariedRules, type UnvariedRule } from '../ruleset/shape-matches.ts';
import type { ProbeSource } from '../scan/probe/plan.ts';
import { appliedModel } from '../ruleset/applied/model.ts';
import { natUnverified } from '../ruleset/nat-ports.ts';
import { untriedSourceNets } from '../ruleset/untried-sources.ts';
import { blockedSourceNets } from '../ruleset/applied/blocked-sources.ts';

/** The lab's interfaces in the target, e.g. `lo`, `eth0`, `eth1`. */
export function parseLinkNames(ipLink: string): string[] {
  return [...ipLink.matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]!);
}

/** @throws LabSelfCheckError when a rule names an interface the lab does not have. */
export function assertInterfacesExist(applied: AppliedRuleset, present: readonly string[]): void {
  const missing = interfaceNames(applied).filter((name) => !interfaceMatches(name, present));
  if (missing.length > 0) {
    throw new LabSelfCheckError(
      `The ruleset matches on interface(s) ${missing.join(', ')}, which the lab does not have (it has ${present.join(', ')}): ` +
        'rules on them are never exercised, so no verdict could speak for traffic arriving there. Give the target ' +
        'those interfaces (`target.interfaces` with `networks`; by default eth0 is the lab network, eth1 the outside network).',
    );
  }
}

/**
 * @throws LabSelfCheckError when, for a family, every client source is dropped by a plain `-s NET … -j
 * DROP|REJECT` rule: then only senders the rules single out were tried.
 */
export function assertSourcesNotAllBlocked(applied: AppliedRuleset, sources: readonly ProbeSource[]): void {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const mine = sources.filter((s) => s.family === family && s.kind !== 'loopback');
    if (mine.length === 0) continue;
    const { list, rules } = blockedNets(applied, family);
    if (rules.length > 0 && mine.every((s) => list.check(s.address, family === 'ipv4' ? 'ipv4' : 'ipv6'))) {
      throw new LabSelfCheckError(
        `Every ${family} source fwprobe probes from (${mine.map((s) => s.address).join(', ')}) is dropped by its address:\n  ` +
          `${rules.join('\n  ')}\nA "not open" verdict would then say nothing about other senders. Set \`sources.outside\` to a ` +
          'subnet these rules do not drop (the outside network is internal and routed nowhere; while the scenario runs, ' +
          'this host routes that subnet to it).',
      );
    }
  }
}

/** Rules on fields no client varies (or source ports past the cap, untried), less those the scenario acknowledges. */
export function unacknowledged(
  applied: AppliedRuleset,
  scenario: Scenario,
  tried: { ports: readonly number[]; sources: readonly { kind: string; family: Family; address: string }[] },
): UnvariedRule[] {
  const accepted = new Set(scenario.sources.unvaried.map((u) => u.match));
  return [...unvariedRules(applied), ...natUnverified(applied, scenario.services), ...untriedSourcePorts(applied, tried.ports), ...untriedSourceNets(applied, tried.sources)].filter(
    (r) => !accepted.has(r.match),
  );
}

function blockedNets(applied: AppliedRuleset, family: Family): { list: BlockList; rules: string[] } {
  const list = new BlockList();
  const rules: string[] = [];
  for (const net of blockedSourceNets(appliedModel(applied), family)) {
    try {
      list.addSubnet(net.address, net.prefix, family === 'ipv4' ? 'ipv4' : 'ipv6');
      rules.push(net.rule);
    } catch {
      // Not an address of this family (iptables-save prints resolved nets only): nothing to add.
    }
  }
  return { list, rules };
}
