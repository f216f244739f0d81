/**
 * Resolves a scenario's topology: the default lab (a private network and, for public sources, an outside
 * network; one peer on both) or the user's networks, target interfaces, peers and hosts behind the target.
 * Every subnet and address is fixed here, so a clash is a load error with its field, never a lab that
 * half starts.
 */
import { AUTO_SUBNETS, defaultTopology, labNetwork, type BehindSpec, type InterfaceSpec, type NetworkSpec, type PeerSpec, type Topology } from '../model/topology.ts';
import { LOOPBACK, TARGET_HOST } from '../model/observation.ts';
import type { SourcesSpec } from '../model/scenario.ts';
import { canonicalIp } from '../model/ip.ts';
import { contains, hostAddress, overlaps, parseSubnet, toInteger, type Subnet } from '../model/subnet.ts';
import type { IssueList } from '../source/issues.ts';
import type { BehindInput, ScenarioInput } from './schema.ts';
import { normaliseServices } from './services.ts';

type Draft = { name: string; network: string; ipv4?: string | undefined; ipv6?: string | undefined; path: (string | number)[] };

export function normaliseTopology(input: ScenarioInput & { behind?: BehindInput }, sources: SourcesSpec, issues: IssueList): Topology {
  const declared = input.networks !== undefined;
  const role = input.target?.role ?? 'host';
  if (!declared) {
    for (const field of ['peers', 'behind'] as const) {
      if (input[field] !== undefined) issues.add([field], `expected \`networks\` to be declared with ${field}: name the networks they sit on`);
    }
    if (input.target?.interfaces) issues.add(['target', 'interfaces'], 'expected `networks` to be declared with target.interfaces');
    return defaultTopology(sources, role);
  }
  if (input.sources?.peer || input.sources?.outside) {
    issues.add(['sources'], 'expected no sources.peer or sources.outside with `networks`: each peer probes from its own address on its network; declare a peer on a public-looking network instead');
  }
  const networks = resolveNetworks(input.networks ?? {}, issues);
  const known = new Set(networks.map((n) => n.name));
  const given: { network: string; name?: string | undefined; ipv4?: string | undefined; ipv6?: string | undefined }[] = input.target?.interfaces ?? networks.map((n) => ({ network: n.name }));
  const targetDrafts: Draft[] = given.map((i, index) => ({
    name: i.name ?? `eth${index}`,
    network: i.network,
    ipv4: i.ipv4,
    ipv6: i.ipv6,
    path: input.target?.interfaces ? ['target', 'interfaces', index] : ['networks'],
  }));
  checkTargetInterfaces(targetDrafts, known, issues);
  const targetNets = new Set(targetDrafts.map((d) => d.network));
  const peerEntries = Object.entries(input.peers ?? { peer: { network: networks[0]?.name ?? '' } });
  const peerDrafts = peerEntries.map(([name, p]) => ({ name, draft: { name: 'eth0', network: p.network, ipv4: p.ipv4, ipv6: p.ipv6, path: ['peers', name] } }));
  for (const { name, draft } of peerDrafts) {
    if (name === LOOPBACK || name === TARGET_HOST) issues.add(draft.path, `expected a peer name other than ${name}, which fwprobe uses itself`);
    else if (!targetNets.has(draft.network)) {
      issues.add(
        [...draft.path, 'network'],
        `expected a network the target has an interface on [${[...targetNets].join(', ')}], found ${draft.network}: a peer scans the target across its own network`,
      );
    }
  }
  const behindDrafts = Object.entries(input.behind ?? {}).map(([name, b]) => ({ name, input: b, draft: { name: 'eth0', network: b.network, ipv4: b.ipv4, ipv6: b.ipv6, path: ['behind', name] } }));
  for (const { name, draft } of behindDrafts) {
    if (role !== 'router') issues.add(draft.path, 'expected target.role: router with `behind` hosts: peers reach them only through a target that forwards');
    if (input.peers?.[name] || name === LOOPBACK || name === TARGET_HOST) issues.add(draft.path, `expected a host name distinct from every peer and from loopback/target, found ${name}`);
    if (!targetNets.has(draft.network)) issues.add([...draft.path, 'network'], `expected a network the target has an interface on, found ${draft.network}`);
  }
  const all = allocate(networks, [...targetDrafts, ...peerDrafts.map((p) => p.draft), ...behindDrafts.map((b) => b.draft)], issues);
  const target = all.slice(0, targetDrafts.length);
  const peers: PeerSpec[] = peerDrafts.map(({ name }, i) => ({ name, interfaces: [all[targetDrafts.length + i]!] }));
  const behind: BehindSpec[] = behindDrafts.map(({ name, input: b }, i) => ({
    name,
    interfaces: [all[targetDrafts.length + peerDrafts.length + i]!],
    services: normaliseServices(b.services, issues, ['behind', name, 'services']),
    scan: { tcp: [], udp: [] },
  }));
  return { declared: true, networks, target: { role, interfaces: target }, peers, behind };
}

/** The user's subnets, and free automatic ones for the rest; two networks of one scenario may not overlap. */
function resolveNetworks(input: NonNullable<ScenarioInput['networks']>, issues: IssueList): NetworkSpec[] {
  const taken: { subnet: Subnet; name: string }[] = [];
  const chosen = Object.entries(input).flatMap(([name, n]) => (['ipv4', 'ipv6'] as const).flatMap((family) => (n[family] ? [{ name, family, subnet: parseSubnet(n[family]!) }] : [])));
  for (const c of chosen) {
    const clash = taken.find((t) => overlaps(t.subnet, c.subnet));
    if (clash)
      issues.add(
        ['networks', c.name, c.family],
        `expected subnets that do not overlap, found ${c.subnet.text} overlapping ${clash.name}'s ${clash.subnet.text}: one address would sit on two networks`,
      );
    taken.push(c);
  }
  let next = 0;
  const free = (family: 'ipv4' | 'ipv6', name: string): string => {
    for (; ; next++) {
      const candidate = parseSubnet(AUTO_SUBNETS[family](next));
      if (!taken.some((t) => overlaps(t.subnet, candidate))) {
        taken.push({ subnet: candidate, name });
        return candidate.text;
      }
    }
  };
  return Object.entries(input).map(([name, n]) => labNetwork(name, n.ipv4 ?? free('ipv4', name), n.ipv6 ?? free('ipv6', name), { ipv4: n.ipv4 !== undefined, ipv6: n.ipv6 !== undefined }));
}

function checkTargetInterfaces(drafts: readonly Draft[], known: ReadonlySet<string>, issues: IssueList): void {
  const names = new Set<string>();
  const nets = new Set<string>();
  for (const d of drafts) {
    if (!known.has(d.network)) issues.add([...d.path, 'network'], `expected one of the networks [${[...known].join(', ')}], found ${d.network}`);
    if (names.has(d.name)) issues.add([...d.path, 'name'], `expected each interface name once, found ${d.name} again`);
    if (nets.has(d.network)) issues.add([...d.path, 'network'], `expected one target interface per network, found ${d.network} again`);
    names.add(d.name);
    nets.add(d.network);
  }
}

/** Fixed addresses first (each in its network, each once), then the next free address of each network. */
function allocate(networks: readonly NetworkSpec[], drafts: readonly Draft[], issues: IssueList): InterfaceSpec[] {
  const used = new Map<string, string>();
  const out = drafts.map((d) => ({ name: d.name, network: d.network, ipv4: '', ipv6: '' }));
  const netOf = (d: Draft) => networks.find((n) => n.name === d.network);
  drafts.forEach((d, i) => {
    const net = netOf(d);
    for (const family of ['ipv4', 'ipv6'] as const) {
      const address = d[family];
      if (!net || address === undefined) continue;
      const subnet = parseSubnet(net[family]);
      const canonical = canonicalIp(address);
      if (!contains(subnet, address)) issues.add([...d.path, family], `expected an address in ${net.name}'s ${subnet.text}, found ${address}`);
      else if (!isHostAddress(subnet, address)) {
        issues.add(
          [...d.path, family],
          `expected a host address of ${subnet.text}, found ${address}: the subnet's ${subnet.family === 4 ? 'network or broadcast address' : 'Subnet-Router anycast address'} is no host's`,
        );
      } else if (used.has(canonical)) issues.add([...d.path, family], `expected each address once, found ${address} again (also at ${used.get(canonical)})`);
      else {
        used.set(canonical, d.path.join('.'));
        out[i]![family] = canonical;
      }
    }
  });
  const next = new Map<string, number>();
  drafts.forEach((d, i) => {
    const net = netOf(d);
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (!net || d[family] !== undefined) continue;
      const subnet = parseSubnet(net[family]);
      for (let k = next.get(`${net.name}/${family}`) ?? 1; ; k++) {
        const candidate = hostAddress(subnet, k);
        if (candidate === null) {
          issues.add([...d.path, family], `expected a free address in ${subnet.text}, found none left`);
          break;
        }
        if (used.has(candidate)) continue;
        used.set(candidate, d.path.join('.'));
        next.set(`${net.name}/${family}`, k + 1);
        out[i]![family] = candidate;
        break;
      }
    }
  });
  return out;
}

/** Not the subnet's network address (IPv6: Subnet-Router anycast, which a forwarding target answers) nor its IPv4 broadcast. */
function isHostAddress(subnet: Subnet, address: string): boolean {
  const offset = toInteger(address) - subnet.base;
  const size = 2n ** BigInt((subnet.family === 4 ? 32 : 128) - subnet.prefix);
  return offset !== 0n && !(subnet.family === 4 && offset === size - 1n);
}
