/**
 * Conntrack state matches by the rule's polarity. The clients' packets open connections, so they are NEW.
 * An accepting rule that needs a state other than NEW cannot let a new connection in (neutral; a rule that
 * accepts NEW is met by the clients: varied). A dropping rule that covers NEW but not every state lets a
 * packet in another state pass (a datagram spoofed as the reply to one the host sent is ESTABLISHED, one
 * under a NOTRACK rule UNTRACKED): no client sent such a packet, so the drop is unvaried. A dropping rule
 * that leaves NEW out drops none of the clients' packets and lets no new connection in (neutral).
 * A jump keyed on NEW is taken by the clients (varied).
 */
import type { MatchClass, OptionContext } from './class.ts';

const ALL = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED', 'SNAT', 'DNAT'];

export function stateClass(ctx: OptionContext): MatchClass {
  const named = ctx.args
    .flatMap((a) => a.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const states = ctx.negated ? ALL.filter((s) => !named.includes(s)) : named;
  const coversNew = states.includes('NEW');
  if (ctx.polarity === 'accept') return coversNew ? 'varied' : 'neutral';
  if (ctx.polarity === 'drop') {
    if (!coversNew) return 'neutral';
    return ['ESTABLISHED', 'RELATED', 'UNTRACKED'].every((s) => states.includes(s)) ? 'varied' : 'unvaried';
  }
  // A jump, return or NAT rule keyed on NEW: the clients take it; a packet in another state goes on to the
  // chain's next rules, each judged on its own (the usual `--ctstate NEW -j SERVICES`).
  return coversNew ? 'varied' : 'neutral';
}

/**
 * Conntrack status: DNAT and SNAT are set by the NAT rules, whose own matches are judged (an ACCEPT of
 * `ct status dnat`, as firewalld writes, follows them); every other status bit (expected, assured, seen
 * reply…) is history no client varied.
 */
export function statusClass(ctx: OptionContext): MatchClass {
  const named = ctx.args
    .flatMap((a) => a.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return !ctx.negated && named.length > 0 && named.every((s) => s === 'DNAT' || s === 'SNAT') ? 'varied' : 'unvaried';
}
