/**
 * Rules that drop every packet from a source network and nothing narrower (`-s NET -j DROP|REJECT`, with
 * at most a comment): if every client source falls in them, only senders the rules single out were tried.
 */
import type { AppliedModel, RuleFamily } from './types.ts';

export interface BlockedNet {
  address: string;
  prefix: number;
  rule: string;
}

export function blockedSourceNets(model: AppliedModel, family: RuleFamily): BlockedNet[] {
  const out: BlockedNet[] = [];
  for (const rule of model.rules) {
    if (rule.family !== family || rule.source !== 'iptables') continue;
    if (!rule.targets.some((t) => t.name === 'DROP' || t.name === 'REJECT')) continue;
    const options = rule.matches.filter((m) => m.name !== 'comment').flatMap((m) => (m.name === 'ip' ? m.options : [{ name: m.name, args: [], negated: true }]));
    // Only a plain source match: a negated one, or one narrowed by port, state or protocol, drops less than all.
    if (options.length !== 1 || options[0]!.negated || !['-s', '--source'].includes(options[0]!.name)) continue;
    const [address, prefix] = (options[0]!.args[0] ?? '').split('/');
    out.push({ address: address!, prefix: Number(prefix ?? (family === 'ipv4' ? 32 : 128)), rule: rule.text });
  }
  return out;
}
