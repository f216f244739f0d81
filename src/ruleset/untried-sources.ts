/**
 * Rules that let in a datagram by its source address, where no client claimed an address of that source:
 * `-s 10.250.0.0/16 -p udp --dport 161 -j ACCEPT` trusts a management network the lab does not have. A
 * datagram needs no handshake, so an attacker anywhere can claim that source (the spoofed clients claim
 * only addresses of the lab's networks). TCP is left out: a spoofed SYN never completes a connection.
 */
import { BlockList } from 'node:net';
import type { AppliedRuleset } from '../model/ruleset.ts';
import { appliedModel } from './applied/model.ts';
import { judgeModel } from './applied/classify.ts';
import { protocolOf } from './applied/readers.ts';
import type { AppliedRule } from './applied/types.ts';
import type { UnvariedRule } from './shape-matches.ts';

/** `sources`: every probe source the clients sent from (a link-local address's zone is ignored). */
export function untriedSourceNets(applied: AppliedRuleset, sources: readonly { kind: string; family: 'ipv4' | 'ipv6'; address: string }[]): UnvariedRule[] {
  const out: UnvariedRule[] = [];
  // Loopback-only: every probe is on lo, where no datagram from elsewhere arrives; the verdict is about lo.
  const remote = sources.filter((s) => s.kind !== 'loopback');
  for (const j of judgeModel(appliedModel(applied))) {
    const rule = j.rule;
    if (!j.relevant || !j.decides || protocolOf(rule) === 'tcp') continue;
    if (!rule.targets.some((t) => t.jump || t.name === 'ACCEPT' || t.name === 'accept')) continue;
    const nets = sourceNets(rule);
    if (nets.length === 0 || !remote.some((s) => s.family === rule.family)) continue;
    const type = rule.family === 'ipv4' ? 'ipv4' : 'ipv6';
    const list = new BlockList();
    // An address this reader does not know (a name, a set): fail closed.
    if (!nets.every((net) => addNet(list, net, type))) {
      out.push({ family: rule.family, match: 'untried source', rule: rule.text });
      continue;
    }
    const tried = sources.filter((s) => s.family === rule.family).some((s) => list.check(s.address.replace(/%.*$/, ''), type));
    if (!tried) out.push({ family: rule.family, match: 'untried source', rule: rule.text });
  }
  return out;
}

/** The source networks a rule requires (`-s`, `--src-range`, nft `ip saddr`/`ip6 saddr`), not negated. */
function sourceNets(rule: AppliedRule): string[] {
  const out: string[] = [];
  for (const m of rule.matches) {
    for (const o of m.options) {
      if (o.negated) continue;
      if (m.kind === 'xt' && ((m.name === 'ip' && (o.name === '-s' || o.name === '--source')) || (m.name === 'iprange' && o.name === '--src-range'))) out.push(...o.args);
      if (m.kind === 'nft' && (m.name === 'payload ip' || m.name === 'payload ip6') && o.name === 'saddr') out.push(...(m.values ?? []));
    }
  }
  return out.flatMap((a) => a.split(','));
}

/** Adds `net` to `list`; false when it is no address, range or prefix of this family. */
function addNet(list: BlockList, net: string, type: 'ipv4' | 'ipv6'): boolean {
  if (net.startsWith('@')) return false;
  try {
    const range = net.split('-');
    if (range.length === 2) list.addRange(range[0]!, range[1]!, type);
    else {
      const [address, prefix] = net.split('/');
      list.addSubnet(address!, prefix === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefix), type);
    }
    return true;
  } catch {
    return false;
  }
}
