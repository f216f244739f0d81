/**
 * What the run asks of the applied ruleset, answered from the model: source ports stateless rules trust,
 * interface names the rules name, the NAT rules that map a port onto another, and whether every client
 * source is dropped by its address.
 */
import type { AppliedModel, AppliedRule, MatchOption } from './types.ts';

// multiport `--ports` matches either port: a source port as much as a destination one.
const SPORT = new Set(['--sport', '--source-port', '--sports', '--source-ports', '--ports', 'sport', 'proto-src']);
const DPORT = new Set(['--dport', '--destination-port', '--dports', '--destination-ports', 'dport', '--ports']);
const IFACE = new Set(['-i', '--in-interface', '-o', '--out-interface', 'iifname', 'oifname', 'iif', 'oif']);

function options(rule: AppliedRule): MatchOption[] {
  return rule.matches.flatMap((m) => m.options.map((o) => (m.kind === 'nft' && o.args.length === 0 ? { ...o, args: m.values ?? [] } : o)));
}

/**
 * Source ports any rule names (`--sport`, multiport `--sports`, nft `sport`): the first port of each range,
 * and for a rule with a negated one the lowest port its source-port matches let through. The first port of
 * `tcp sport != { 20, 53, 32768-60999 }` is one it refuses: every client tried was refused while one from
 * port 1 got in.
 */
export function sourcePortsNamed(model: AppliedModel): number[] {
  const ports = new Set<number>();
  for (const rule of model.rules) {
    const sports = options(rule).filter((x) => SPORT.has(x.name));
    for (const o of sports) {
      for (const r of portRanges(o.args)) ports.add(r.from);
    }
    const through = sports.some((o) => o.negated) ? lowestLetThrough(sports) : undefined;
    if (through !== undefined) ports.add(through);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The lowest port inside every plain option's ranges and outside every negated one's, if any. */
function lowestLetThrough(sports: readonly MatchOption[]): number | undefined {
  const ranges = sports.map((o) => ({ negated: o.negated, ranges: portRanges(o.args) }));
  const inside = (port: number, list: { from: number; to: number }[]) => list.some((r) => port >= r.from && port <= r.to);
  // The lowest such port is 1, the start of a plain range or the port after a negated one.
  const candidates = [1, ...ranges.flatMap((o) => o.ranges.map((r) => (o.negated ? r.to + 1 : r.from)))].filter((p) => p <= 65535).sort((a, b) => a - b);
  return candidates.find((port) => ranges.every((o) => inside(port, o.ranges) !== o.negated));
}

/** Interface names the rules match on, wildcards as written (`eth+`, nft `eth*`). */
export function interfacesNamed(model: AppliedModel): string[] {
  const names = new Set<string>();
  for (const rule of model.rules) {
    for (const o of options(rule).filter((x) => IFACE.has(x.name))) for (const a of o.args) if (/^[\w.+*-]+$/.test(a)) names.add(a);
  }
  return [...names].sort();
}

/** Port ranges from `22`, `1000:2000`, `25,143:145`, nft `1000-2000`; out-of-range or unreadable items are left out. */
export function portRanges(args: readonly string[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const item of args.flatMap((a) => a.split(/[,\s]+/)).filter(Boolean)) {
    const [a, b] = item.split(/[:-]/);
    const from = a === '' ? 0 : Number(a);
    const to = b === undefined ? from : b === '' ? 65535 : Number(b);
    if (Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= 65535 && from <= to) out.push({ from: Math.max(from, 1), to });
  }
  return out;
}

/** The destination ports a rule matches, or null when it names none (it matches every port). */
export function destinationPorts(rule: AppliedRule): { from: number; to: number }[] | null {
  const named = options(rule).filter((o) => DPORT.has(o.name) && !o.negated);
  return named.length === 0 ? null : named.flatMap((o) => portRanges(o.args));
}

/** The protocol a rule pins (`tcp`, `udp`), or null. */
export function protocolOf(rule: AppliedRule): string | null {
  for (const m of rule.matches) {
    const p = m.options.find((o) => ['-p', '--protocol', 'l4proto', 'nexthdr', 'protocol'].includes(o.name) && !o.negated);
    const value = (p?.args[0] ?? m.values?.[0])?.toLowerCase();
    if (p && (value === 'tcp' || value === 'udp')) return value;
    if (m.kind === 'nft' && (m.name === 'payload tcp' || m.name === 'payload udp')) return m.name.slice(8);
  }
  return null;
}
