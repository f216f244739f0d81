/**
 * Which nmap states satisfy which expectation category.
 *
 * | category      | tcp states satisfying it                         | udp states satisfying it              |
 * |---------------|--------------------------------------------------|---------------------------------------|
 * | `open`        | open                                             | open (never `open|filtered`)          |
 * | `closed`      | closed                                           | closed                                |
 * | `filtered`    | filtered                                         | filtered, open|filtered (no reply)    |
 * | `unreachable` | unreachable                                      | unreachable                           |
 * | `delivered`   | (refused at load: no one-way TCP service)        | delivered                             |
 * | `not-open`    | closed, filtered, open|filtered, closed|filtered, unreachable (all but open and unfiltered) | same |
 *
 * Why:
 * - `open` needs proof of a listener. A UDP port that never answers is `open|filtered`: it may be a silent
 *   listener or a DROP rule, so it does not prove `open`.
 * - A UDP DROP rule produces `open|filtered` (no reply), which is what `filtered` means for UDP.
 * - `not-open` is everything that is not proven open, except `unfiltered` (ACK scans only): that state says
 *   the port is reachable but not whether it is open, so it can prove neither side.
 * - `closed|filtered` (idle scans) satisfies only `not-open`.
 * - `delivered` (a client's datagram reached the listener, no answer came back) satisfies only `delivered`:
 *   it is not proof of an open service to the client, and it is certainly not "filtered" or "not open". A
 *   one-way receiver (syslog, SNMP traps behind egress filtering) says so with `delivered: [514]`; an answer
 *   (`open`) breaks that expectation as much as silence does (`open|filtered`: nothing logged the datagram).
 */
import { PORT_STATES, type PortState, type Protocol } from '../model/observation.ts';
import type { ExpectCategory } from '../model/scenario.ts';

export function satisfies(category: ExpectCategory, state: PortState, protocol: Protocol): boolean {
  switch (category) {
    case 'open':
      return state === 'open';
    case 'closed':
      return state === 'closed';
    case 'filtered':
      return state === 'filtered' || (protocol === 'udp' && state === 'open|filtered');
    case 'unreachable':
      return state === 'unreachable';
    case 'delivered':
      return state === 'delivered';
    case 'not-open':
      return state !== 'open' && state !== 'unfiltered' && state !== 'delivered';
  }
}

/** Every state that satisfies `category` for `protocol`, in `PORT_STATES` order (for `Mismatch.expected`). */
export function statesSatisfying(category: ExpectCategory, protocol: Protocol): PortState[] {
  return PORT_STATES.filter((state) => satisfies(category, state, protocol));
}

/**
 * The coarse category of an observed state, used by the parity check: two states in the same category are
 * the same verdict. `open|filtered` counts as filtered (no reply), `closed|filtered` as filtered.
 */
export type StateCategory = 'open' | 'closed' | 'filtered' | 'unreachable' | 'unfiltered' | 'delivered';

export function categoryOf(state: PortState): StateCategory {
  switch (state) {
    case 'open':
    case 'closed':
    case 'filtered':
    case 'unreachable':
    case 'unfiltered':
    case 'delivered':
      return state;
    case 'open|filtered':
    case 'closed|filtered':
      return 'filtered';
  }
}
