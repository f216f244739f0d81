/**
 * A Docker host as a scenario declares it (`docker:`): the daemon's settings that shape published ports
 * and the containers its dockerd runs, each with its `-p` flags and the services listening inside it.
 * Loading fills every default, so the lab only starts what is written here.
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

export interface DockerContainerSpec {
  name: string;
  publish: PublishedPort[];
  /** What listens inside the container (fwprobe's listener, from the target's /usr). */
  services: { protocol: Protocol; port: number }[];
}

export interface DockerSpec {
  daemon: DaemonSpec;
  containers: DockerContainerSpec[];
}

/** Docker's bridge network for IPv6 when `ip6tables` is on: a ULA, never an address outside the lab. */
export const DOCKER_FIXED_CIDR_V6 = 'fd00:d0c::/64';

/** The -p flag fwprobe passes to docker run: rebuilt from the parsed parts, never the user's text as is. */
export function publishFlag(port: PublishedPort): string {
  const ip = port.hostIp === null ? '' : ipVersion(port.hostIp) === 6 ? `[${port.hostIp}]:` : `${port.hostIp}:`;
  const range = (r: { from: number; to: number }) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`);
  return `${ip}${range(port.host)}:${range(port.container)}/${port.protocol}`;
}
