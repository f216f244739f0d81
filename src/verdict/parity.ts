/**
 * The automatic IPv6-gap check: for each vantage × protocol × port seen on both families, a finding when
 * the two states fall in different categories (see `categoryOf`: open, closed, filtered, unreachable,
 * unfiltered). `filtered` with different reasons is not a finding; `closed` vs `filtered` is (REJECT on one
 * family, DROP on the other).
 *
 * A port observed individually on one family only is compared with the other family's summary of unlisted
 * ports when that summary is unambiguous (all its ports in one category): with `ports: all`, nmap lists the
 * open ports and collapses the rest, so that is where a gap usually shows.
 */
import { PROTOCOLS, VANTAGES, type Family, type Observation, type PortState } from '../model.ts';
import type { ObservedSummary, ParityFinding } from '../result.ts';
import type { ParityException, ParityMode } from '../scenario/types.ts';
import { groupBy } from './keys.ts';
import { categoryOf } from './satisfies.ts';

type Seen = { state: PortState; reason: string };

export function findParityGaps(
  observations: readonly Observation[],
  summaries: readonly ObservedSummary[],
  parity: { mode: ParityMode; exceptions: readonly ParityException[] },
): ParityFinding[] {
  if (parity.mode === 'off') return [];
  const byPort = groupBy(observations, (o) => `${o.vantage}/${o.protocol}/${o.port}`);
  const findings: ParityFinding[] = [];
  for (const list of byPort.values()) {
    const first = list[0] as Observation;
    const ipv4 = seenOn('ipv4', list, first, summaries);
    const ipv6 = seenOn('ipv6', list, first, summaries);
    if (!ipv4 || !ipv6 || categoryOf(ipv4.state) === categoryOf(ipv6.state)) continue;
    const excuse = parity.exceptions.find((e) => excuses(e, first));
    findings.push({
      vantage: first.vantage,
      protocol: first.protocol,
      port: first.port,
      ipv4,
      ipv6,
      excusedBy: excuse?.why ?? null,
      message:
        `${first.vantage} ${first.protocol}/${first.port}: ` +
        `ipv4 ${ipv4.state} (${ipv4.reason}), ipv6 ${ipv6.state} (${ipv6.reason})`,
    });
  }
  return findings.sort(
    (a, b) =>
      VANTAGES.indexOf(a.vantage) - VANTAGES.indexOf(b.vantage) ||
      PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) ||
      a.port - b.port,
  );
}

/** The family's individual observation of the port, else its unambiguous summary, else nothing. */
function seenOn(
  family: Family,
  list: readonly Observation[],
  port: Observation,
  summaries: readonly ObservedSummary[],
): Seen | null {
  const own = list.find((o) => o.family === family);
  if (own) return { state: own.state, reason: own.reason };
  const relevant = summaries.filter(
    (s) => s.vantage === port.vantage && s.protocol === port.protocol && s.family === family,
  );
  const first = relevant[0];
  if (!first || relevant.some((s) => categoryOf(s.state) !== categoryOf(first.state))) return null;
  return { state: first.state, reason: `${first.reason}, summarised` };
}

function excuses(exception: ParityException, o: Observation): boolean {
  return (
    (exception.vantage === 'all' || exception.vantage === o.vantage) &&
    exception.protocol === o.protocol &&
    exception.port === o.port
  );
}

