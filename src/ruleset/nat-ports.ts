/**
 * The ports NAT maps onto a service: a REDIRECT/DNAT (or nft `redirect`/`dnat`) rule whose new port is a
 * service port makes its match ports another way in (`--dport 13306 -j REDIRECT --to-ports 3306`). They
 * become ports of interest (scan/probe/ports.ts). A plain text reader over redirecting.ts's rules until
 * the parsed model of the applied ruleset reads them structurally.
 */
import type { Protocol } from '../model/observation.ts';
import { redirectingRules } from './redirecting.ts';

/** A range in a match wider than this is taken as its first this-many ports (the cap then says so). */
const MAX_RANGE = 256;

/** Match ports of NAT rules that send to one of `servicePorts` (same protocol), per protocol. */
export function natPorts(
  saved: { v4: string; v6: string; nft?: string },
  services: readonly { protocol: Protocol; port: number }[],
): Record<Protocol, number[]> {
  const out: Record<Protocol, Set<number>> = { tcp: new Set(), udp: new Set() };
  for (const { match, rule } of redirectingRules(saved)) {
    if (!/^(DNAT|REDIRECT|dnat|redirect)$/.test(match)) continue;
    const protocol = /(?:-p\s+|\b)(tcp|udp)\b/.exec(rule)?.[1] as Protocol | undefined;
    if (!protocol) continue;
    const to = toPort(rule);
    const isService = (port: number) => services.some((s) => s.protocol === protocol && s.port === port);
    const from = matchPorts(rule);
    for (const port of from) if (to === null ? isService(port) : isService(to)) out[protocol].add(port);
  }
  return { tcp: [...out.tcp].sort((a, b) => a - b), udp: [...out.udp].sort((a, b) => a - b) };
}

/** The port a rule rewrites to, or null when it keeps the port. */
function toPort(rule: string): number | null {
  const m = /--to-ports\s+(\d+)/.exec(rule) ?? /--to-destination\s+\S*:(\d+)/.exec(rule) ?? /\b(?:redirect|dnat)\b[^;]*?\bto\s+\S*:(\d+)/.exec(rule);
  return m ? Number(m[1]) : null;
}

/** `--dport N`, `--dport A:B`, `--dports A,B:C`, nft `dport N`, `dport A-B`, `dport { A, B }`. */
function matchPorts(rule: string): number[] {
  const spec = /--dports?\s+(\S+)/.exec(rule)?.[1] ?? /\bdport\s+(\{[^}]*\}|\S+)/.exec(rule)?.[1];
  if (!spec) return [];
  const ports: number[] = [];
  for (const part of spec.replace(/[{}\s]/g, '').split(',')) {
    const [a, b] = part.split(/[:-]/).map(Number);
    if (a === undefined || !Number.isInteger(a)) continue;
    const end = b !== undefined && Number.isInteger(b) ? Math.min(b, a + MAX_RANGE - 1) : a;
    for (let p = a; p <= end && p <= 65535; p++) ports.push(p);
  }
  return ports;
}
