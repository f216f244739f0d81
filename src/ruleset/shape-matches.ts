/**
 * What a ruleset matches on that fwprobe's clients do not vary by default, read from the applied rules:
 * source ports that stateless rules trust (the clients then try them too), interface names (which must exist
 * in the lab, or the rules on them are never exercised), and header fields a sender controls (DSCP, length,
 * TTL, payload strings…) or the clock, which no probe varies: verdicts resting on those are reported.
 */

import { familyTexts } from './nft-listing.ts';
import { rulesMatching } from './rate-dependence.ts';

/** One rule whose match depends on something the clients do not vary. */
export interface UnvariedRule {
  family: 'ipv4' | 'ipv6';
  /** The match, e.g. `dscp`, `length`, `time`. */
  match: string;
  rule: string;
}

const HEADER_MATCHES = /(?:^|\s)-m\s+(dscp|tos|ecn|length|u32|string|ttl|hl|tcpmss|ipv4options|ipv6header|time|owner|bpf)\b/;
const NFT_HEADER = /\b(ip dscp|ip6 dscp|ip length|ip6 length|meta length|ip ttl|ip6 hoplimit|meta hour|meta day|meta time|@th,|@nh,)/;

/** Source ports named by `--sport`, `--sports` (multiport) or nft `sport`: the first port of each range. */
export function trustedSourcePorts(saved: { v4: string; v6: string; nft?: string }): number[] {
  const ports = new Set<number>();
  for (const text of Object.values(familyTexts(saved))) {
    for (const m of text.matchAll(/(?:--sports?|\bsport)\s+(?:!\s+)?\{?\s*([\d,:\- ]+)/g)) {
      for (const item of m[1]!.split(/[,\s]+/)) {
        const first = Number(item.split(/[:-]/)[0]);
        if (Number.isInteger(first) && first >= 1 && first <= 65535) ports.add(first);
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Interface names the rules match on (`-i`, `-o`, nft `iifname`/`oifname`/`iif`/`oif`), wildcards as written. */
export function interfaceNames(saved: { v4: string; v6: string; nft?: string }): string[] {
  const names = new Set<string>();
  for (const text of Object.values(familyTexts(saved))) {
    for (const line of text.split('\n')) {
      // Docker's own DNS rules in the nat table name no interface worth checking; every other line counts.
      for (const m of line.matchAll(/(?:^|\s)(?:-i|-o|--in-interface|--out-interface)\s+(\S+)/g)) names.add(m[1]!);
      // nft lists interface names quoted; `fib saddr . iif oif missing` names none.
      for (const m of line.matchAll(/\b(?:iifname|oifname|iif|oif)\s+(?:!=\s+)?"([\w.+*-]+)"/g)) names.add(m[1]!);
    }
  }
  return [...names].sort();
}

/** Whether an iptables interface name (a trailing `+` is a prefix wildcard) matches one of `present`. */
export function interfaceMatches(name: string, present: readonly string[]): boolean {
  if (name.endsWith('+')) return present.some((p) => p.startsWith(name.slice(0, -1)));
  if (name.endsWith('*')) return present.some((p) => p.startsWith(name.slice(0, -1)));
  return present.includes(name);
}

/** Rules matching on header fields a sender controls, or on the clock. */
export function unvariedRules(saved: { v4: string; v6: string; nft?: string }): UnvariedRule[] {
  return rulesMatching(saved, (rule) => HEADER_MATCHES.exec(rule)?.[1] ?? NFT_HEADER.exec(rule)?.[1]);
}
