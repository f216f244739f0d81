/**
 * The answer to the question that started fwprobe ("Have you checked ip6tables lately?") for one result, in
 * one sentence, derived from the verdict's parity findings and the observations, never from rendered text.
 * The answer speaks for what the network sees: the vantages other than loopback (a loopback difference
 * comes from a bind address, not from the firewall; it is still among the differences listed). A result
 * that did not compare both families from any such vantage gets no answer: unknown is never "filtered".
 */
import { LOOPBACK, viewLabel, type PortState } from '../model/observation.ts';
import type { ParityFinding } from '../verdict/types.ts';
import type { ScenarioResult } from './result.ts';

export type Ipv6AnswerKind =
  /** Every network vantage saw both families alike. */
  | 'same'
  /** A port open over IPv6 is not open over IPv4 from the same vantage. */
  | 'more-open'
  /** The families differ, but IPv6 opens no port that IPv4 keeps shut. */
  | 'differs'
  /** The comparison was not made (the run failed, or no network vantage saw both families). */
  | 'unanswered';

export interface Ipv6Exposure {
  protocol: 'tcp' | 'udp';
  /** One port, or a range list when nmap summarised them (`1000-1010`). */
  ports: string;
  /** Each vantage (or vantage→host) it is open from over IPv6, with the IPv4 state seen there. */
  from: { view: string; ipv4: PortState }[];
}

export interface Ipv6Answer {
  kind: Ipv6AnswerKind;
  /** The one sentence printed. */
  sentence: string;
  /** Every IPv4/IPv6 difference, loopback included, in the verdict's order. */
  differences: ParityFinding[];
  /** The ports IPv6 exposes more, for `more-open`. */
  exposures: Ipv6Exposure[];
}

/** States in which a sender reaches the service. */
const REACHED: ReadonlySet<PortState> = new Set(['open', 'delivered']);

export interface AnswerOptions {
  /** Why the lab may not hold what the host serves (its listening sockets were not read): no answer then. @default none */
  unknown?: string;
}

export function answerIpv6(result: ScenarioResult, options: AnswerOptions = {}): Ipv6Answer {
  const differences = result.verdict?.parity ?? [];
  const unanswered = (why: string): Ipv6Answer => ({ kind: 'unanswered', sentence: `Not answered: ${why}.`, differences, exposures: [] });
  if (result.status === 'error' || result.verdict === null) return unanswered(`the run did not finish (${result.error ?? 'no verdict'})`);
  if (options.unknown !== undefined) return unanswered(options.unknown);
  if (result.verdict.parityMode === 'off') return unanswered('the parity check was off for this scenario');
  const compared = comparedViews(result);
  if (compared.length === 0) return unanswered('no vantage other than loopback scanned both IPv4 and IPv6');
  const network = differences.filter((f) => f.vantage !== LOOPBACK && compared.includes(viewLabel(f)));
  const exposures = exposuresOf(network);
  if (exposures.length > 0) {
    const list = exposures.map((e) => `${e.protocol}/${e.ports} (${e.from.map((f) => `from ${f.view}: IPv4 ${f.ipv4}`).join('; ')})`);
    return { kind: 'more-open', sentence: `Open over IPv6 and not IPv4: ${list.join(', ')}.`, differences, exposures };
  }
  if (network.length > 0) {
    return {
      kind: 'differs',
      sentence: `IPv6 opens no port IPv4 keeps shut, but is not filtered like IPv4: ${network.length} difference(s) from ${[...new Set(network.map(viewLabel))].join(', ')} (listed above).`,
      differences,
      exposures,
    };
  }
  return { kind: 'same', sentence: `IPv6 is filtered like IPv4 (compared from ${compared.join(', ')}).`, differences, exposures };
}

/** Network views (not loopback) with observations or summaries of both families. */
function comparedViews(result: ScenarioResult): string[] {
  const families = new Map<string, Set<string>>();
  for (const x of [...result.observations, ...result.others]) {
    if (x.vantage === LOOPBACK) continue;
    const label = viewLabel(x);
    families.set(label, (families.get(label) ?? new Set()).add(x.family));
  }
  return [...families].filter(([, f]) => f.size === 2).map(([label]) => label);
}

/** Findings where IPv6 reaches the port and IPv4 does not, grouped by protocol and port. */
function exposuresOf(findings: readonly ParityFinding[]): Ipv6Exposure[] {
  const byPort = new Map<string, Ipv6Exposure>();
  for (const f of findings) {
    if (!REACHED.has(f.ipv6.state) || REACHED.has(f.ipv4.state)) continue;
    // Port 0 is a finding on summaries without port lists: their counts differ, the ports are not known.
    const ports = f.ports ?? (f.port === 0 ? '(summarised ports)' : String(f.port));
    const key = `${f.protocol}/${ports}`;
    const entry = byPort.get(key) ?? { protocol: f.protocol, ports, from: [] };
    entry.from.push({ view: viewLabel(f), ipv4: f.ipv4.state });
    byPort.set(key, entry);
  }
  return [...byPort.values()];
}
