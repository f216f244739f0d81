/**
 * Rules that can treat a counted sweep's probes otherwise than a real client's. nmap's UDP sweep comes from
 * one pinned source port with one shape, so a rule keyed on the source port or the packet's shape (`udp
 * sport 47311 drop`, `--sport 53 -j ACCEPT`) lets the ledger see every probe held while a client from
 * another port gets in. Where such a rule can decide a UDP port, the ledger's "dropped" proves nothing for it
 * (scan/counted-udp.ts reads it `unverified`), and neither does any scan's silence (scan/unproven-marks.ts).
 * Read from the applied model's matches (probe-alike.ts: any match it does not know is keyed), never from
 * names of chains (ufw's `ufw-user-limit` holds no rate match).
 */
import type { Protocol } from '../model/observation.ts';
import { judgeModel } from './applied/classify.ts';
import { appliedModel, type SavedRuleset } from './applied/model.ts';
import type { AppliedRule, RuleMatch } from './applied/types.ts';
import { shapeKey } from './probe-alike.ts';
import { portRanges } from './applied/readers.ts';

/** A rule keyed on the probe's shape, and the UDP ports it can decide (`all` when it names none it can be held to). */
export interface ScanShapedRule {
  rule: string;
  ports: 'all' | [number, number][];
  /**
   * A rule on the way out (output, postrouting): it sees a loopback scan's probe, and a peer's only as the
   * host's answer. `held`: the source ports a DROP on it is held to (it cannot hold a probe from another).
   */
  outbound?: { held?: [number, number][] };
}

/** @param protocol - The protocol whose ports the rules can decide. @default 'udp' */
export function scanShapedRules(saved: SavedRuleset, protocol: Protocol = 'udp'): ScanShapedRule[] {
  const shaped: ScanShapedRule[] = [];
  const model = appliedModel(saved);
  // A rule on the way out sees a peer's probe only as the host's answer (its source port is the probed port):
  // whether that probe got in does not rest on it. A loopback scan's probe leaves through it (run/scans.ts).
  const outbound = new Set(model.chains.filter((c) => c.hook === 'output' || c.hook === 'postrouting').map((c) => `${c.family} ${c.source} ${c.nftFamily ?? ''} ${c.table} ${c.name}`));
  for (const j of judgeModel(model)) {
    if (!j.relevant || !j.decides || onlyFor(j.rule, protocol === 'udp' ? 'tcp' : 'udp')) continue;
    const out = outbound.has(`${j.rule.family} ${j.rule.source} ${j.rule.nftFamily ?? ''} ${j.rule.table} ${j.rule.chain}`);
    // A rate, quota or queue statement, or a set another rule writes, keys on the moment too.
    const keyed = shapeKey(j.rule) !== undefined || j.judged.some((m) => m.class === 'rate' || m.class === 'unvaried');
    if (!keyed) continue;
    const held = out ? heldSources(j.rule) : undefined;
    shaped.push({ rule: j.rule.text, ports: destinationPorts(j.rule), ...(out ? { outbound: held ? { held } : {} } : {}) });
  }
  return shaped;
}

/** Whether a rule may hold a probe from one of `sources` (a rule on the way out held to other source ports cannot). */
export function mayHoldProbe(rule: ScanShapedRule, sources: readonly number[] | undefined): boolean {
  const held = rule.outbound?.held;
  if (!held || sources === undefined) return true;
  return sources.some((p) => held.some(([from, to]) => p >= from && p <= to));
}

/** A DROP's plain source-port ranges (`udp sport 5002 drop` holds only packets from 5002); undefined otherwise. */
function heldSources(rule: AppliedRule): [number, number][] | undefined {
  if (!rule.targets.some((t) => !t.jump && ['DROP', 'REJECT'].includes(t.name.toUpperCase()))) return undefined;
  for (const m of rule.matches) {
    for (const o of m.options) {
      if (!SPORT.has(o.name) || o.negated) continue;
      const args = o.args.length > 0 ? o.args : (m.values ?? []);
      // A set, a name or anything unreadable: it may hold any port.
      if (!args.flatMap((a) => a.split(/[,\s]+/)).every((item) => item === '' || /^\d+([:-]\d+)?$/.test(item))) return undefined;
      const ranges = portRanges(args);
      if (ranges.length > 0) return ranges.map((r) => [r.from, r.to]);
    }
  }
  return undefined;
}

const SPORT = new Set(['--sport', '--source-port', '--sports', '--source-ports', 'sport']);

/** The first rule that makes a held probe to `port` prove nothing, or undefined. */
export function shapedRuleFor(rules: readonly ScanShapedRule[], port: number): string | undefined {
  return rules.find((r) => r.ports === 'all' || r.ports.some(([from, to]) => port >= from && port <= to))?.rule;
}

/** The rule matches only `other` (so it cannot decide the protocol asked about). */
function onlyFor(rule: AppliedRule, other: Protocol): boolean {
  return rule.matches.some(
    (m) => (m.kind === 'xt' && m.name === other) || m.name === `payload ${other}` || m.options.some((o) => (o.name === '-p' || o.name === '--protocol') && !o.negated && o.args.join(' ') === other),
  );
}

const DPORT = new Set(['--dport', '--dports', '--destination-port', '--destination-ports', 'dport']);

/** The destination ports a rule is held to; `all` for none, a negation, a set or anything unreadable. */
function destinationPorts(rule: AppliedRule): 'all' | [number, number][] {
  const options = rule.matches.flatMap((m: RuleMatch) => m.options.filter((o) => DPORT.has(o.name)).map((o) => ({ o, values: m.kind === 'nft' ? (m.values ?? []) : o.args })));
  if (options.length === 0) return 'all';
  const ranges: [number, number][] = [];
  for (const { o, values } of options) {
    // A port in a concatenation (`tcp dport . tcp sport { 8080 . 53 }`) comes with no values of its own.
    if (o.negated || values.length === 0) return 'all';
    for (const part of values
      .join(',')
      .split(/[,\s{}]+/)
      .filter(Boolean)) {
      const m = /^(\d+)(?:[:-](\d+))?$/.exec(part);
      if (!m) return 'all';
      ranges.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
  }
  return ranges;
}
