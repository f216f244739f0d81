/**
 * A Docker host as a scenario declares it (`docker:`): the daemon's settings that shape published ports
 * and the containers its dockerd runs, each with its `-p` flags and the services listening inside it.
 * Loading fills every default, so the lab only starts what is written here. Containers sit on `docker0`
 * (Docker's default `bridge` network) unless they name a user-defined bridge the block declares.
 */
import { ipVersion } from './ip.ts';
import type { Protocol } from './observation.ts';

/** One `docker run -p`, parsed: the target's ports a peer can try, and where Docker sends them. */
export interface PublishedPort {
  /** The host address the port is published on, canonical; null for every address (Docker's default). */
  hostIp: string | null;
  host: { from: number; to: number };
  container: { from: number; to: number };
  protocol: Protocol;
}

/** The keys of the host's /etc/docker/daemon.json that decide which rules and listeners a -p gets. */
export interface DaemonSpec {
  /** dockerd writes its iptables rules. @default true */
  iptables: boolean;
  /** IPv6 rules and an IPv6 bridge (`fixed-cidr-v6`); 20.10 needs `experimental` for it. @default false */
  ip6tables: boolean;
  /** docker-proxy listens for each published port, IPv6 included. @default true */
  userlandProxy: boolean;
}

/** A user-defined bridge (`docker network create`): dockerd makes a `br-…` device and its own isolation rules. */
export interface DockerNetworkSpec {
  name: string;
  /** The network's IPv4 subnet (`--subnet`), canonical. */
  ipv4: string;
  /** Its IPv6 subnet (`--ipv6 --subnet`); null for an IPv4-only network. Needs the daemon's `ip6tables`. */
  ipv6: string | null;
  /** `--internal`: no route out and no published ports (Docker's DOCKER-ISOLATION drops the rest). @default false */
  internal: boolean;
}

export interface DockerContainerSpec {
  name: string;
  /** The Docker network the container is attached to: `bridge` (docker0) or a declared network's name. @default 'bridge' */
  network: string;
  publish: PublishedPort[];
  /** What listens inside the container (fwprobe's listener, from the target's /usr). */
  services: { protocol: Protocol; port: number }[];
}

export interface DockerSpec {
  daemon: DaemonSpec;
  /** User-defined bridges, in the order dockerd creates them. */
  networks: DockerNetworkSpec[];
  containers: DockerContainerSpec[];
}

/** Docker's own default network (docker0), the one a container without `network` is on. */
export const DOCKER_DEFAULT_NETWORK = 'bridge';
/** docker0's subnet: the target's dockerd sees no other network of the engine, so it takes Docker's first pool. */
export const DOCKER_BRIDGE_V4 = '172.17.0.0/16';
/** Docker's bridge network for IPv6 when `ip6tables` is on: a ULA, never an address outside the lab. */
export const DOCKER_FIXED_CIDR_V6 = 'fd00:d0c::/64';

/** The subnets a container's network has: docker0's (IPv6 only with `ip6tables`) or the declared network's. */
export function containerSubnets(spec: DockerSpec, container: Pick<DockerContainerSpec, 'network'>): { ipv4: string; ipv6: string | null } {
  const declared = spec.networks.find((n) => n.name === container.network);
  if (declared) return { ipv4: declared.ipv4, ipv6: declared.ipv6 };
  return { ipv4: DOCKER_BRIDGE_V4, ipv6: spec.daemon.ip6tables ? DOCKER_FIXED_CIDR_V6 : null };
}

/** The -p flag fwprobe passes to docker run: rebuilt from the parsed parts, never the user's text as is. */
export function publishFlag(port: PublishedPort): string {
  const ip = port.hostIp === null ? '' : ipVersion(port.hostIp) === 6 ? `[${port.hostIp}]:` : `${port.hostIp}:`;
  const range = (r: { from: number; to: number }) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`);
  return `${ip}${range(port.host)}:${range(port.container)}/${port.protocol}`;
}
