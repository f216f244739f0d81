/** What `judge` returns: every way the observations disagree with the scenario, and what went unchecked. */
import type { Mismatch, NatAlias, Observation, PortState, Protocol, Vantage } from '../model/observation.ts';
import type { ObservedSummary } from '../scan/types.ts';
import type { ExpectCategory } from '../model/scenario.ts';
import type { Scope } from './keys.ts';

/** A port a scenario lists that no scan reported: never a pass. */
export interface MissingObservation extends Scope {
  port: number;
  expected: ExpectCategory;
  /** e.g. `peer ipv6 tcp/53: expected filtered, not observed (the peer ipv6 tcp scan reported nothing)`. */
  message: string;
}

/** A summary of unlisted ports (e.g. 65530 × filtered) that breaks the expectation's `others`. */
export interface OthersMismatch extends Scope {
  expected: ExpectCategory;
  observed: PortState;
  reason: string;
  count: number;
  /** e.g. `loopback ipv4 tcp (65530 other ports): expected closed, observed filtered (no-response)`. */
  message: string;
}

/** A rule whose match depends on something fwprobe's clients do not vary, so its effect is unverified. */
export interface UnverifiedRule {
  family: 'ipv4' | 'ipv6';
  /** The match, e.g. `dscp`, `length`, `time`. */
  match: string;
  /** The rule as the kernel printed it. */
  rule: string;
}

/**
 * What the judge needs besides the observations to know whether they prove anything: what the scans and
 * clients could not cover. Every field is a reason the verdict cannot pass, given to the judge rather than
 * applied after it.
 */
export interface Coverage {
  /** Unacknowledged rules whose match fwprobe's clients do not vary (run/coverage.ts `unacknowledged`). */
  unverified: readonly UnverifiedRule[];
  /**
   * Ports NAT maps onto a service port of the target: an alias the scenario does not list is held to its
   * service's expectation when that is closed, filtered or unreachable (it must not be a way in either).
   * @default none
   */
  natAliases?: readonly NatAlias[];
}

export interface Verdict {
  /**
   * No mismatch, nothing missing, no unverified rule, and (under `parity: strict`) no unexcused parity
   * finding. Set by the judge alone.
   */
  passed: boolean;
  /** Individually observed ports whose state breaks an expectation, sorted by vantage, family, protocol, port. */
  mismatches: Mismatch[];
  missing: MissingObservation[];
  othersMismatches: OthersMismatch[];
  /** Observations no expectation speaks about (no set for their scope, and no `others`). */
  unchecked: { observations: Observation[]; summaries: ObservedSummary[] };
  /** IPv4/IPv6 differences; empty when parity is `off`. */
  parity: ParityFinding[];
  /**
   * Rules that match on something fwprobe's clients do not vary (DSCP, length, TTL, payload, the clock…)
   * and that the scenario has not acknowledged: the verdict cannot say what another sender sees. Fails it.
   */
  unverified: UnverifiedRule[];
}

/** A difference between IPv4 and IPv6 from the same vantage: the IPv6 gap, found automatically. */
export interface ParityFinding {
  vantage: Vantage;
  host?: string;
  protocol: Protocol;
  port: number;
  ipv4: { state: PortState; reason: string };
  ipv6: { state: PortState; reason: string };
  /** Set when a parity exception in the scenario excuses this difference. */
  excusedBy: string | null;
  /**
   * Present when the finding covers several summarised ports with the same states (e.g. 65534 ports
   * filtered on IPv4 and closed on IPv6): those ports in `-p` syntax, and how many. `port` is the first.
   */
  ports?: string;
  count?: number;
  message: string;
}
