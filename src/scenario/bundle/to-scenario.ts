/**
 * A host's facts as a scenario: its ruleset files, a service per listening socket with the host's bind
 * address, a lab network per interface with the host's subnet and address, and a peer on each.
 * Expectations: capture writes no port expectation (it cannot know which exposure the admin intends), and
 * writes `parity: strict` out as the scenario's one assertion: the post's question, "is IPv6 filtered like
 * IPv4?". `fwprobe run` answers it (a gap fails, its ports named); `fwprobe baseline` records the host's
 * current exposure, gap included, for `fwprobe check` to hold it from then on.
 */
import { ipVersion } from '../../model/ip.ts';
import { overlaps, parseSubnet } from '../../model/subnet.ts';
import type { ScenarioInput } from '../schema.ts';
import type { HostFacts, HostInterface, Listener } from './host.ts';
import { capturedRuleset } from './ruleset-files.ts';

export interface CapturedScenario {
  scenario: ScenarioInput;
  /** File name → content, beside the scenario file. */
  files: Record<string, string>;
  /** What the scenario does not reproduce, one sentence each. */
  notes: string[];
  /** Listening sockets of the host the lab does not serve (its target does not hold their address), as `tcp [fe80::1]:8080`. */
  unreproduced: { socket: string; family: 'ipv4' | 'ipv6' }[];
  /** Rules the host applies that the lab does not (ruleset-files.ts), or null. */
  rulesetGap: string | null;
}

/** Interfaces Docker makes for its own containers: they belong to the Docker block, not the target's links. */
const DOCKER_LINK = /^(docker\d*|br-[0-9a-f]+|veth[0-9a-f]+)$/;
const MAX_NETWORKS = 8;

export function toScenario(facts: HostFacts): CapturedScenario {
  const notes = [...facts.notes];
  const ruleset = capturedRuleset(facts);
  notes.push(...ruleset.notes);
  const topology = captureTopology(facts.interfaces, notes);
  const unreproduced: CapturedScenario['unreproduced'] = [];
  const services = captureServices(facts.listeners, topology.addresses, notes, unreproduced);
  if (facts.dockerContainers > 0) notes.push(`${facts.dockerContainers} Docker container(s) run on the host: their containers and published ports are not reproduced yet`);
  if (facts.ipv6Disabled) notes.push('IPv6 is disabled on the host (disable_ipv6=1): the lab still runs IPv6, so its IPv6 readings describe the ruleset, not the host');
  const host = facts.hostname ?? 'host';
  const scenario: ScenarioInput = {
    name: `captured ${host}`,
    description: `The firewall of ${host} as collected: its ruleset, listening sockets and interfaces.`,
    services,
    ruleset: ruleset.ruleset as ScenarioInput['ruleset'],
    ...(ruleset.backend === 'legacy' ? { backend: 'legacy' as const } : {}),
    ...(topology.interfaces.length > 0
      ? {
          networks: topology.networks,
          target: { ...(facts.forwarding.ipv4 || facts.forwarding.ipv6 ? { role: 'router' as const } : {}), interfaces: topology.interfaces },
          peers: topology.peers,
        }
      : {}),
    // Written out: the one assertion of a captured scenario (see the top of this file).
    parity: 'strict',
    // A host with no listening socket still has a ruleset to see: the common ports are scanned.
    ...(services.length === 0 ? { ports: { tcp: 'top-100' } } : {}),
  };
  return { scenario, files: ruleset.files, notes, unreproduced, rulesetGap: ruleset.gap };
}

interface CapturedTopology {
  networks: Record<string, { ipv4?: string; ipv6?: string }>;
  interfaces: { network: string; name: string; ipv4?: string; ipv6?: string }[];
  peers: Record<string, { network: string }>;
  /** Every address the target will hold in the lab. */
  addresses: Set<string>;
}

function captureTopology(interfaces: readonly HostInterface[], notes: string[]): CapturedTopology {
  const out: CapturedTopology = { networks: {}, interfaces: [], peers: {}, addresses: new Set() };
  const taken: ReturnType<typeof parseSubnet>[] = [];
  for (const link of interfaces) {
    if (link.name === 'lo') continue;
    if (DOCKER_LINK.test(link.name)) continue;
    const v4 = pick(link, 4, taken, notes);
    const v6 = pick(link, 6, taken, notes);
    if (!v4 && !v6) continue;
    if (out.interfaces.length >= MAX_NETWORKS) {
      notes.push(`${link.name} is not reproduced: a lab holds at most ${MAX_NETWORKS} networks`);
      continue;
    }
    const network = uniqueName(link.name, out.networks);
    out.networks[network] = { ...(v4 ? { ipv4: v4.subnet } : {}), ...(v6 ? { ipv6: v6.subnet } : {}) };
    out.interfaces.push({ network, name: link.name, ...(v4 ? { ipv4: v4.address } : {}), ...(v6 ? { ipv6: v6.address } : {}) });
    out.peers[`peer-${network}`.slice(0, 31)] = { network };
    for (const a of [v4?.address, v6?.address]) if (a) out.addresses.add(a);
  }
  if (out.interfaces.length === 0) notes.push("no interface of the host was reproduced: the lab uses fwprobe's default network");
  return out;
}

/** The first address of a family the lab can give the interface: a prefix a lab network takes, a subnet no other network has. */
function pick(link: HostInterface, family: 4 | 6, taken: ReturnType<typeof parseSubnet>[], notes: string[]): { address: string; subnet: string } | null {
  const [min, max] = family === 4 ? [8, 29] : [48, 120];
  const addresses = family === 4 ? link.ipv4 : link.ipv6;
  for (const [i, a] of addresses.entries()) {
    const subnet = parseSubnet(`${a.address}/${a.prefix}`);
    if (a.prefix < min || a.prefix > max) {
      notes.push(`${link.name} ${a.address}/${a.prefix} is not reproduced: a lab network takes /${min} to /${max}`);
      continue;
    }
    if (taken.some((t) => overlaps(t, subnet))) {
      notes.push(`${link.name} ${a.address}/${a.prefix} is not reproduced: its subnet overlaps another interface's`);
      continue;
    }
    taken.push(subnet);
    for (const extra of addresses.slice(i + 1)) notes.push(`${link.name} ${extra.address}/${extra.prefix} is not reproduced: the lab gives an interface one address per family`);
    return { address: a.address, subnet: subnet.text };
  }
  return null;
}

/** A lab name from an interface name (`eth0.100` → `eth0-100`), unique among the networks. */
function uniqueName(ifname: string, used: Record<string, unknown>): string {
  let base = ifname.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  if (!/^[a-z]/.test(base)) base = `if-${base}`;
  base = base.slice(0, 28);
  let name = base;
  for (let n = 2; name in used; n++) name = `${base}-${n}`;
  return name;
}

type CapturedService = { port: number; protocol: 'tcp' | 'udp'; bind: string };

/** How wide a socket's bind is: the widest of two sockets on one port and family is the one kept. */
function width(address: string): number {
  return address === '*' ? 0 : address === '0.0.0.0' || address === '::' ? 1 : 2;
}

function bindOf(address: string): { bind: string; families: ('ipv4' | 'ipv6')[] } {
  if (address === '*') return { bind: 'any', families: ['ipv4', 'ipv6'] };
  if (address === '0.0.0.0') return { bind: 'any4', families: ['ipv4'] };
  if (address === '::') return { bind: 'any6', families: ['ipv6'] };
  return { bind: address, families: [ipVersion(address) === 4 ? 'ipv4' : 'ipv6'] };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

function captureServices(listeners: readonly Listener[], addresses: ReadonlySet<string>, notes: string[], unreproduced: CapturedScenario['unreproduced']): CapturedService[] {
  const taken = new Set<string>();
  const services: CapturedService[] = [];
  const sorted = [...listeners].sort((a, b) => width(a.address) - width(b.address) || a.port - b.port);
  for (const l of sorted) {
    const where = `${l.protocol} ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;
    if (width(l.address) === 2 && !isLoopback(l.address) && !addresses.has(l.address)) {
      notes.push(`${where} is not reproduced: the lab's target does not hold ${l.address}`);
      unreproduced.push({ socket: where, family: ipVersion(l.address) === 4 ? 'ipv4' : 'ipv6' });
      continue;
    }
    const { bind, families } = bindOf(l.address);
    const keys = families.map((f) => `${l.protocol}/${l.port}/${f}`);
    if (keys.some((k) => taken.has(k))) {
      if (!services.some((s) => s.protocol === l.protocol && s.port === l.port && s.bind === bind)) {
        notes.push(`${where} is not reproduced: a wider socket on the same port and family is (the lab serves one per port and family)`);
      }
      continue;
    }
    if (l.device !== null) notes.push(`${where} is bound to ${l.device} on the host (SO_BINDTODEVICE): the lab binds the address only`);
    for (const k of keys) taken.add(k);
    services.push({ port: l.port, protocol: l.protocol, bind });
  }
  return services.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port || a.bind.localeCompare(b.bind));
}
