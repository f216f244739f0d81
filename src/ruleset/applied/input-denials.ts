/**
 * The rules on the input path that deny a port by name: `-A ufw-user-input -p tcp --dport 8080 -j DROP`,
 * reached from filter INPUT through any jumps, or a native nft chain on the input hook. A port Docker
 * publishes is DNATed and forwarded, so such a rule never sees it; attribution names it beside the path
 * that did decide, so the admin's "8080 is denied" reads as the rule that was not on the way.
 */
import { appliedModel, type SavedRuleset } from './model.ts';
import { destinationPorts, protocolOf } from './readers.ts';
import type { AppliedModel, AppliedRule, RuleFamily } from './types.ts';

/** A rule that denies the port on the input path, with the chains from the input hook to it. */
export interface InputDenial {
  rule: AppliedRule;
  /** `INPUT`, `ufw-before-input`, …, the rule's own chain last. */
  path: string[];
}

const DENY = new Set(['DROP', 'REJECT', 'drop', 'reject']);

/** Every rule of `family` reached from an input-hook filter chain that drops or rejects `protocol`/`port` by naming it. */
export function inputDenials(model: AppliedModel, family: RuleFamily, protocol: string, port: number): InputDenial[] {
  const out: InputDenial[] = [];
  const starts = model.chains.filter((c) => c.family === family && c.hook === 'input' && (c.source === 'nft' || c.table === 'filter'));
  for (const start of starts) {
    const key = (chain: string) => `${start.source} ${start.nftFamily ?? ''} ${start.table} ${chain}`;
    const seen = new Set<string>([key(start.name)]);
    // Breadth first: each chain once, reached by the shortest chain of jumps (a loop cannot repeat it).
    const queue: string[][] = [[start.name]];
    while (queue.length > 0) {
      const path = queue.shift()!;
      const chain = path.at(-1)!;
      const rules = model.rules.filter((r) => r.family === family && r.source === start.source && r.table === start.table && r.nftFamily === start.nftFamily && r.chain === chain);
      for (const rule of rules) {
        for (const t of rule.targets) {
          if (t.jump && t.chain && !seen.has(key(t.chain))) {
            seen.add(key(t.chain));
            queue.push([...path, t.chain]);
          }
        }
        if (namesPort(rule, protocol, port) && rule.targets.some((t) => DENY.has(t.name))) out.push({ rule, path });
      }
    }
  }
  return out;
}

function namesPort(rule: AppliedRule, protocol: string, port: number): boolean {
  const pinned = protocolOf(rule);
  if (pinned !== null && pinned !== protocol) return false;
  const ports = destinationPorts(rule);
  return ports !== null && ports.some((r) => r.from <= port && port <= r.to);
}

/**
 * The note for a port that was forwarded past the input path: each rule there that denies it, with its
 * chains, "not on this path"; null when none names it.
 */
export function notOnPath(saved: SavedRuleset, port: { family: RuleFamily; protocol: string; port: number }): string | null {
  const denials = inputDenials(appliedModel(saved), port.family, port.protocol, port.port);
  if (denials.length === 0) return null;
  const where = (d: InputDenial) => `${d.rule.source === 'nft' ? `nft ${d.rule.nftFamily} ${d.rule.table}` : 'filter'} ${d.path.join(' → ')}`;
  return denials.map((d) => `${where(d)}: \`${d.rule.text}\` denies ${port.port}/${port.protocol} on INPUT: not on this path`).join('; ');
}
