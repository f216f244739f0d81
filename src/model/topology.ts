/**
 * The lab as the user's network: named networks with their subnets, the target's interfaces in order (so
 * `eth0`/`eth1` are the names the ruleset uses), named peers, and hosts behind a routing target. Loading
 * resolves every address, so the runner only wires what is written here.
 */
import type { Protocol } from './observation.ts';
import type { ServiceSpec, SourcesSpec } from './scenario.ts';
import { fromInteger, hostAddress, isPrivate, parseSubnet, toInteger } from './subnet.ts';

export interface NetworkSpec {
  name: string;
  /** IPv4 subnet, e.g. `192.168.10.0/24`. */
  ipv4: string;
  /** IPv6 subnet, e.g. `fd10::/64`. */
  ipv6: string;
  /** Which subnets the user chose (checked against the engine's networks before anything starts). */
  chosen: { ipv4: boolean; ipv6: boolean };
  /** Public-looking addresses (not RFC 1918 / ULA): sources from here are `public`, otherwise `lab`. */
  public: boolean;
}

/** One interface of a lab container: its name inside the container, its network, its addresses. */
export interface InterfaceSpec {
  name: string;
  network: string;
  ipv4: string;
  ipv6: string;
}

export interface PeerSpec {
  name: string;
  interfaces: InterfaceSpec[];
}

/** A host on an inner network that peers reach only through a routing target. */
export interface BehindSpec {
  name: string;
  interfaces: [InterfaceSpec];
  services: ServiceSpec[];
  /** Ports scanned on it, per protocol: its services and the ports its expectations name. */
  scan: Record<Protocol, number[]>;
}

export interface Topology {
  /** False for the default lab (one private and one outside network, one peer on both). */
  declared: boolean;
  networks: NetworkSpec[];
  target: {
    /** `router`: IP forwarding on, and `behind` hosts reached through it. */
    role: 'host' | 'router';
    interfaces: InterfaceSpec[];
  };
  peers: PeerSpec[];
  behind: BehindSpec[];
}

/** The default networks' names: the private lab network and the public-looking outside network. */
export const DEFAULT_NETWORKS = { lab: 'lab', outside: 'outside' } as const;

/** Where automatic subnets come from: /24s of 10.213.0.0/16 and /64s of fd00:f3b0::/32. */
export const AUTO_SUBNETS = { ipv4: (i: number) => `10.213.${i}.0/24`, ipv6: (i: number) => `fd00:f3b0:0:${i.toString(16)}::/64` };
/** The default outside network: documentation ranges (RFC 5737, RFC 9637), routed nowhere. */
const DEFAULT_OUTSIDE = { ipv4: '198.51.100.0/28', ipv6: '3fff:0:0:1::/64' };

export function labNetwork(name: string, ipv4: string, ipv6: string, chosen: NetworkSpec['chosen']): NetworkSpec {
  const v4 = parseSubnet(ipv4);
  return { name, ipv4: v4.text, ipv6: parseSubnet(ipv6).text, chosen, public: !isPrivate(v4) };
}

/**
 * The lab of a scenario that declares no networks: `lab` (private) as the target's and the peer's eth0, and
 * for public sources `outside` (documentation ranges, or `sources.outside`) as their eth1.
 */
export function defaultTopology(sources: Pick<SourcesSpec, 'peer' | 'outside'>, role: 'host' | 'router' = 'host'): Topology {
  const lab = labNetwork(DEFAULT_NETWORKS.lab, AUTO_SUBNETS.ipv4(0), AUTO_SUBNETS.ipv6(0), { ipv4: false, ipv6: false });
  const outside = labNetwork(DEFAULT_NETWORKS.outside, sources.outside.ipv4 ?? DEFAULT_OUTSIDE.ipv4, sources.outside.ipv6 ?? DEFAULT_OUTSIDE.ipv6, {
    ipv4: sources.outside.ipv4 !== null,
    ipv6: sources.outside.ipv6 !== null,
  });
  const networks = sources.peer.includes('public') ? [lab, outside] : [lab];
  const at = (n: NetworkSpec, name: string, k: number): InterfaceSpec => ({
    name,
    network: n.name,
    ipv4: hostAddress(parseSubnet(n.ipv4), k)!,
    ipv6: hostAddress(parseSubnet(n.ipv6), k)!,
  });
  return {
    declared: false,
    networks,
    target: { role, interfaces: networks.map((n, i) => at(n, `eth${i}`, 1)) },
    peers: [{ name: 'peer', interfaces: networks.map((n, i) => at(n, `eth${i}`, 2)) }],
    behind: [],
  };
}

/**
 * One unused address per network and family (the highest free host address): what a peer on another
 * network puts on its interface to send datagrams that claim to come from this network, as a spoofing
 * attacker can. Null where the network has no address left.
 */
export function spoofAddresses(topology: Topology): Map<string, { ipv4: string | null; ipv6: string | null }> {
  const hosts = [topology.target.interfaces, ...topology.peers.map((p) => p.interfaces), ...topology.behind.map((b) => b.interfaces)].flat();
  const used = new Set(
    hosts
      .flatMap((i) => [i.ipv4, i.ipv6])
      .filter(Boolean)
      .map((a) => fromInteger(toInteger(a), a.includes(':') ? 6 : 4)),
  );
  const out = new Map<string, { ipv4: string | null; ipv6: string | null }>();
  for (const network of topology.networks) {
    const pick = (family: 'ipv4' | 'ipv6') => {
      const subnet = parseSubnet(network[family]);
      const size = 2n ** BigInt((family === 'ipv4' ? 32 : 128) - subnet.prefix);
      // From the top of the subnet (or of its first 4096 addresses) down, a few hundred tries at most.
      const top = Number(size > 4096n ? 4096n : size) - (family === 'ipv4' ? 2 : 1);
      for (let k = top; k >= 1 && k > top - 256; k--) {
        const candidate = hostAddress(subnet, k);
        if (candidate && !used.has(candidate)) return candidate;
      }
      return null;
    };
    out.set(network.name, { ipv4: pick('ipv4'), ipv6: pick('ipv6') });
  }
  return out;
}
