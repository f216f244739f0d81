/**
 * The ports real clients try, in one place with one cap: the services, every port an expectation names,
 * and the ports NAT maps onto a service (`--dport 13306 -j REDIRECT --to-ports 3306`: 13306 reaches the
 * database). Every named port is probed, or the scenario is an error that says how to narrow it.
 */
import type { Protocol } from '../../model/observation.ts';
import { listedPorts, type Scenario } from '../../model/scenario.ts';
import { TooManyPortsError } from '../../model/errors.ts';

/** Above this many ports per protocol and host the clients would take minutes: the scenario is an error. */
export const MAX_PROBED_PORTS = 64;

/** Ports that NAT rules map onto a service, per protocol (see ruleset/nat-ports.ts). */
export type NatPorts = Record<Protocol, readonly number[]>;

export const NO_NAT_PORTS: NatPorts = { tcp: [], udp: [] };

/**
 * What an attacker would try on the target (no `host`) or on one host behind it.
 * @param natPorts - Ports NAT maps onto a service of the target. @default none
 * @throws TooManyPortsError above MAX_PROBED_PORTS ports for one protocol.
 */
export function portsToProbe(scenario: Pick<Scenario, 'services' | 'expectations' | 'topology' | 'name'>, host?: string, natPorts: NatPorts = NO_NAT_PORTS): Record<Protocol, number[]> {
  const out: Record<Protocol, number[]> = { tcp: [], udp: [] };
  const own = host ? (scenario.topology.behind.find((b) => b.name === host)?.services ?? []) : scenario.services;
  for (const protocol of ['tcp', 'udp'] as const) {
    const services = own.filter((s) => s.protocol === protocol).map((s) => s.port);
    const named = scenario.expectations.filter((e) => e.protocol === protocol && e.host === host).flatMap(listedPorts);
    const nat = host ? [] : natPorts[protocol];
    const all = [...new Set([...services, ...named, ...nat])].sort((a, b) => a - b);
    if (all.length > MAX_PROBED_PORTS) {
      throw new TooManyPortsError(
        `${scenario.name}: ${all.length} ${protocol} ports to back with real clients on ${host ?? 'the target'} ` +
          `(${services.length} services, ${new Set(named).size} named by expectations, ${nat.length} mapped by NAT); at most ${MAX_PROBED_PORTS} are probed. ` +
          'Every port an expectation names must be backed, so none is dropped: narrow the expectations to the ports that matter ' +
          '(put the rest under `others:`, which nmap judges from the scan), or split the scenario into several.',
      );
    }
    out[protocol] = all;
  }
  return out;
}
