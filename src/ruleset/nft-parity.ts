/**
 * The static parity lint for nftables: the IPv6 mistakes nftables.conf files make, read from the tables the
 * kernel holds (`nft list ruleset`, all tables together, since a packet passes only if no table drops it).
 * Pattern-based: what it cannot read (jumps, verdict maps, netdev/bridge tables) it names, never guesses.
 */
import type { NftChain, NftTable } from './nft-listing.ts';

export type NftParityWhat =
  /** An `ip` table drops by default on a hook where nothing drops IPv6. */
  | 'ip-only-table'
  /** A rule matches `ip saddr`/`ip daddr` in an inet table, with no `ip6` twin beside it. */
  | 'no-ip6-twin'
  /** IPv6 is dropped by default on input and no rule accepts neighbour discovery. */
  | 'nd-dropped'
  /** `reject with icmp` in an inet table: an IPv4-only verdict, IPv6 packets pass over it. */
  | 'reject-icmp-in-inet'
  | 'not-analysed';

export interface NftParityFinding {
  what: NftParityWhat;
  /** `inet filter`, `ip nat`… */
  table: string;
  chain: string;
  /** The rule (as nft lists it) or `policy drop`. */
  rule: string;
  message: string;
}

const FILTER_HOOKS = ['input', 'forward', 'output'];
const ADDRESS = /\bip6? ([sd]addr) (?:!= )?(?:\{[^}]*\}|\S+) ?/g;
const VERDICT = /\b(accept|drop|reject)\b/;
const ND = /\bnd-neighbor-(solicit|advert)\b|\bicmpv6 type (?:\{[^}]*)?\b13[56]\b/;
/** A rule that accepts all ICMPv6 (or all of IPv6 / all traffic) with no further match. */
const ALL_ICMPV6 = /^(?:meta l4proto (?:ipv6-icmp|icmpv6|\{[^}]*ipv6-icmp[^}]*\})|ip6 nexthdr (?:ipv6-icmp|icmpv6)|meta nfproto ipv6)?\s*(?:counter\s*)?accept$/;

export function lintNftParity(tables: readonly NftTable[]): NftParityFinding[] {
  const findings: NftParityFinding[] = [];
  for (const hook of FILTER_HOOKS) findings.push(...ipOnly(tables, hook));
  findings.push(...ndDropped(tables));
  for (const table of tables) {
    if (table.family !== 'inet' || table.managed) continue;
    for (const chain of table.chains) {
      findings.push(...missingTwins(table, chain));
      for (const rule of chain.rules.filter((r) => /\breject with icmp\s/.test(r))) {
        findings.push({
          what: 'reject-icmp-in-inet',
          table: id(table),
          chain: chain.name,
          rule,
          message:
            `${id(table)} ${chain.name}: "${rule}" rejects IPv4 only (\`reject with icmp\` has no IPv6 form): IPv6 packets ` +
            'pass over it to the next rule or the policy. Write `reject with icmpx …` (or `reject` alone) in an inet table.',
        });
      }
    }
  }
  const note = notAnalysed(tables);
  if (note) findings.push(note);
  return findings;
}

/** Whether the chain drops what no rule of it accepts: `policy drop`, or an unconditional drop/reject last. */
function dropsByDefault(chain: NftChain): string | null {
  if (chain.policy === 'drop') return 'policy drop';
  const last = chain.rules.at(-1) ?? '';
  return /^(?:counter\s+)?(?:log\b[^]*?\s)?(?:drop|reject(?: with icmpx .*)?)$/.test(last) ? last : null;
}

function ipOnly(tables: readonly NftTable[], hook: string): NftParityFinding[] {
  const on = (families: string[]) => tables.filter((t) => families.includes(t.family)).flatMap((t) => t.chains.filter((c) => c.hook === hook && dropsByDefault(c)).map((c) => ({ t, c })));
  if (on(['ip6', 'inet']).length > 0) return [];
  return on(['ip']).map(({ t, c }) => ({
    what: 'ip-only-table' as const,
    table: id(t),
    chain: c.name,
    rule: dropsByDefault(c)!,
    message:
      `${id(t)} ${c.name} (hook ${hook}): ${dropsByDefault(c)} filters IPv4 only, and no ip6 or inet table drops ` +
      `IPv6 on the ${hook} hook: everything this chain drops is open over IPv6. Use \`table inet\`, or add an ip6 twin.`,
  }));
}

function ndDropped(tables: readonly NftTable[]): NftParityFinding[] {
  const findings: NftParityFinding[] = [];
  const v6 = tables.filter((t) => t.family === 'ip6' || t.family === 'inet');
  for (const table of v6) {
    for (const chain of table.chains.filter((c) => c.hook === 'input' && dropsByDefault(c))) {
      // Neighbour discovery accepted anywhere in the table, or on prerouting before it, counts: nft follows jumps.
      const accepted = v6.some((t) => t.chains.some((c) => c.rules.some((r) => VERDICT.exec(r)?.[1] === 'accept' && (ND.test(r) || ALL_ICMPV6.test(r)))));
      if (accepted) continue;
      findings.push({
        what: 'nd-dropped',
        table: id(table),
        chain: chain.name,
        rule: dropsByDefault(chain)!,
        message:
          `${id(table)} ${chain.name}: IPv6 is dropped by default (${dropsByDefault(chain)}) and no rule accepts neighbour ` +
          'discovery (icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert }): the host is unreachable over IPv6 from ' +
          'the network, while loopback still answers.',
      });
    }
  }
  return findings;
}

/** `ip saddr`/`ip daddr` rules of an inet chain without an `ip6` rule that is the same otherwise. */
function missingTwins(table: NftTable, chain: NftChain): NftParityFinding[] {
  const rest = (rule: string) =>
    rule
      .replace(ADDRESS, '')
      .replace(/\bcounter\s*/g, '')
      .trim();
  const v6Rests = new Set(chain.rules.filter((r) => /\bip6 [sd]addr\b/.test(r)).map(rest));
  return chain.rules
    .filter((r) => /\bip [sd]addr\b/.test(r) && !/\bip6 [sd]addr\b/.test(r) && VERDICT.test(r) && !v6Rests.has(rest(r)))
    .map((rule) => ({
      what: 'no-ip6-twin' as const,
      table: id(table),
      chain: chain.name,
      rule,
      message:
        `${id(table)} ${chain.name}: "${rule}" matches IPv4 addresses only, and no \`ip6 saddr\`/\`ip6 daddr\` rule ` +
        `beside it does the same for IPv6 ("${rest(rule)}"): IPv6 packets skip it and fall to the rules after it.`,
    }));
}

function notAnalysed(tables: readonly NftTable[]): NftParityFinding | null {
  // Only native tables that filter: iptables' own are linted as iptables, and nat chains decide no verdict.
  const skipped = tables
    .filter((t) => !t.managed && t.chains.some((c) => c.type === 'filter'))
    .flatMap((t) => {
      if (['netdev', 'bridge', 'arp'].includes(t.family)) return t.chains.filter((c) => c.hook).map((c) => ({ t, c: c.name, rule: `hook ${c.hook}` }));
      return t.chains.flatMap((c) => c.rules.filter((r) => /\b(jump|goto|vmap)\b/.test(r)).map((rule) => ({ t, c: c.name, rule })));
    });
  const first = skipped[0];
  if (!first) return null;
  return {
    what: 'not-analysed',
    table: id(first.t),
    chain: first.c,
    rule: first.rule,
    message:
      `nft: ${skipped.length} rule(s) not analysed (jumps, gotos, verdict maps, netdev/bridge/arp hooks), e.g. ` + `${id(first.t)} ${first.c}: "${first.rule}"; the scans still judge what they do.`,
  };
}

function id(table: NftTable): string {
  return `table ${table.family} ${table.name}`;
}
