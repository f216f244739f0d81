/**
 * Which protocols' large scans a run may count with the target's drop ledger (scan/ledger.ts,
 * scan/ledger-udp.ts). A ledger proves a drop only where it can follow each probe through the target's hooks.
 */
import { PROTOCOLS, type Protocol } from '../model/observation.ts';

// A redirect to the target itself: conntrack keeps the probe's original tuple, which the UDP ledger follows
// to input. A DNAT or NETMAP may forward the probe to another host, a path the ledger does not watch (its
// probe would stay "in flight", read dropped), so they still turn counting off; so do a stateless rewrite,
// a queue and TPROXY, which nothing follows.
const LOCAL_REDIRECT = new Set(['REDIRECT', 'redirect']);

/**
 * The protocols to count: none under a rate or chance rule (a fast scan spends a client's budget), UDP only
 * under local redirects (TCP's ledger keys the host's answers by port), both otherwise.
 * @param redirecting - the ruleset's redirecting rules, by their target's name (ruleset/redirecting.ts).
 */
export function countedProtocols(rateDependent: number, redirecting: readonly { match: string }[]): readonly Protocol[] {
  if (rateDependent > 0) return [];
  if (redirecting.length === 0) return PROTOCOLS;
  return redirecting.every((r) => LOCAL_REDIRECT.has(r.match)) ? ['udp'] : [];
}
