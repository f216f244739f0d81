/**
 * Wires the lab's networks without Docker networks: a switch container holds one Linux bridge per network
 * and one end of a veth pair per interface; the other end is created straight in the lab container's
 * network namespace, under the name the ruleset uses, and given the scenario's addresses. The user's
 * subnets never touch the engine's host (no host route, no bridge address), the networks have no uplink at
 * all, and forwarded packets with any source cross them (Docker's own bridges drop IPv4 from other subnets).
 */
import { spoofAddresses, type InterfaceSpec, type Topology } from '../model/topology.ts';
import { LabWiringError } from '../model/errors.ts';
import { parseSubnet } from '../model/subnet.ts';
import type { StartedFwprobeContainer } from './container.ts';
import type { StepResult } from './batch.ts';

/** A lab container and the interfaces it gets. */
export interface WiredHost {
  name: string;
  container: StartedFwprobeContainer;
  interfaces: readonly InterfaceSpec[];
  /** A peer: its first interface also carries an unused address of every network it is not on (see spoofAddresses). */
  spoofs?: boolean;
}

/**
 * Creates the bridges and veth pairs in the switch, then configures each host's interfaces, addresses and
 * routes (hosts side by side). Peers and hosts behind a routing target route every other lab network
 * through the target.
 */
export async function wireLab(lab: StartedFwprobeContainer, topology: Topology, hosts: readonly WiredHost[], options: WireOptions = {}): Promise<{ afterTarget: StepResult | null }> {
  const pids = await Promise.all(hosts.map((h) => h.container.hostPid()));
  const bridge = (network: string) => `fwn${topology.networks.findIndex((n) => n.name === network)}`;
  const inSwitch: string[][] = topology.networks.flatMap((n) => [
    ['ip', 'link', 'add', 'name', bridge(n.name), 'type', 'bridge', 'mcast_snooping', '0'],
    ['ip', 'link', 'set', 'dev', bridge(n.name), 'up'],
  ]);
  hosts.forEach((host, h) => {
    host.interfaces.forEach((iface, i) => {
      const end = `fwv${h}x${i}`;
      inSwitch.push(['ip', 'link', 'add', 'name', end, 'type', 'veth', 'peer', 'name', iface.name, 'netns', String(pids[h])]);
      inSwitch.push(['ip', 'link', 'set', 'dev', end, 'master', bridge(iface.network), 'up']);
    });
  });
  check('the lab switch', inSwitch, await lab.runBatch([ipBatch(inSwitch)], { stopOnFailure: true, phase: 'wiring the lab networks' }));
  const [target] = hosts;
  let afterTarget: StepResult | null = null;
  await Promise.all(
    hosts.map(async (host, h) => {
      const commands = host.interfaces.flatMap((iface, i) => configure(iface, linkLocalAddress(h, i), topology));
      if (target && host !== target) commands.push(...routesThrough(host, target, topology));
      if (host.spoofs) commands.push(...spoofing(host, topology));
      const after = host === target && options.afterTarget ? [[...options.afterTarget]] : [];
      if (commands.length === 0 && after.length === 0) return;
      const steps = await host.container.runBatch([...(commands.length > 0 ? [ipBatch(commands)] : []), ...after], { stopOnFailure: true, phase: `configuring ${host.name}'s interfaces` });
      if (commands.length > 0) check(host.name, commands, steps.slice(0, 1));
      if (after.length > 0) afterTarget = steps.at(-1) ?? null;
    }),
  );
  return { afterTarget };
}

export interface WireOptions {
  /** A command run in the target once its interfaces are configured, in the same exec (one round trip fewer). @default none */
  afterTarget?: readonly string[];
}

/**
 * The link-local address of interface `i` of lab host `h` (0 the target, then the peers in order, then the
 * hosts behind). Every IPv6 host on a link has one, and an attacker on the segment can use it: peers probe
 * the target's from theirs (run/lab-setup.ts), so a rule trusting fe80::/10 is tried.
 */
export function linkLocalAddress(h: number, i: number): string {
  return `fe80::f:${h + 1}:${i + 1}`;
}

function configure(iface: InterfaceSpec, linkLocal: string, topology: Topology): string[][] {
  const network = topology.networks.find((n) => n.name === iface.network)!;
  const dev = iface.name;
  return [
    // Link-local and global addresses without duplicate address detection: the lab is fwprobe's own, and
    // a tentative address would drop the first second of IPv6 traffic.
    ['ip', 'link', 'set', 'dev', dev, 'addrgenmode', 'none'],
    ['ip', 'addr', 'add', `${iface.ipv4}/${parseSubnet(network.ipv4).prefix}`, 'dev', dev],
    ['ip', '-6', 'addr', 'add', `${iface.ipv6}/${parseSubnet(network.ipv6).prefix}`, 'dev', dev, 'nodad'],
    ['ip', '-6', 'addr', 'add', `${linkLocal}/64`, 'dev', dev, 'nodad'],
    ['ip', 'link', 'set', 'dev', dev, 'up'],
  ];
}

/**
 * Through a routing target, a peer or a host behind it reaches every network it is not on. Through any
 * target, a peer reaches the target's addresses on other networks, as an attacker on the same segment can
 * (Linux answers for all its addresses on every interface): a rule that trusts `-d 192.168.10.1` without
 * `-i eth1` is tried from outside too.
 */
function routesThrough(host: WiredHost, target: WiredHost, topology: Topology): string[][] {
  const mine = host.interfaces[0];
  const gateway = mine && target.interfaces.find((i) => i.network === mine.network);
  if (!gateway) return [];
  const onLink = (network: string) => host.interfaces.some((i) => i.network === network);
  if (topology.target.role === 'router') {
    return topology.networks
      .filter((n) => !onLink(n.name))
      .flatMap((n) => [
        ['ip', 'route', 'add', n.ipv4, 'via', gateway.ipv4],
        ['ip', '-6', 'route', 'add', n.ipv6, 'via', gateway.ipv6],
      ]);
  }
  return target.interfaces
    .filter((i) => !onLink(i.network))
    .flatMap((i) => [
      ['ip', 'route', 'add', `${i.ipv4}/32`, 'via', gateway.ipv4],
      ['ip', '-6', 'route', 'add', `${i.ipv6}/128`, 'via', gateway.ipv6],
    ]);
}

/**
 * Extra host addresses (/32, /128) on the peer's first interface, claiming the networks it is not on. The
 * IPv6 ones are deprecated (`preferred_lft 0`): the kernel's source choice passes over a deprecated address
 * while the peer's own is there, and a socket bound to one still sends from it (measured: the spoofed
 * datagrams arrive as before). Otherwise the one sharing the longest prefix with a host behind the target is
 * the source of anything the peer sends there unbound, and the answers are lost on the inside segment. IPv4 needs none: its choice
 * takes the address on the gateway's subnet, the peer's own, added first.
 */
function spoofing(host: WiredHost, topology: Topology): string[][] {
  const first = host.interfaces[0];
  if (!first) return [];
  const spoofs = spoofAddresses(topology);
  return topology.networks
    .filter((n) => !host.interfaces.some((i) => i.network === n.name))
    .flatMap((n) => {
      const { ipv4, ipv6 } = spoofs.get(n.name)!;
      return [
        ...(ipv4 ? [['ip', 'addr', 'add', `${ipv4}/32`, 'dev', first.name]] : []),
        ...(ipv6 ? [['ip', '-6', 'addr', 'add', `${ipv6}/128`, 'dev', first.name, 'nodad', 'preferred_lft', '0']] : []),
      ];
    });
}

/**
 * Every `ip` command of a host as one `ip -batch` process: a process each (and the batch's own per step)
 * cost seconds on a loaded machine. Batch lines take no options, and none is needed: `ip` reads the family
 * from the addresses, so `-6` is dropped. Arguments are interface names (no spaces: topology-schema.ts),
 * addresses and numbers. The batch stops at the first failure and names its line (`Command failed -:3`).
 */
function ipBatch(commands: readonly string[][]): string[] {
  const lines = commands.map((c) =>
    c
      .slice(1)
      .filter((arg, i) => !(i === 0 && arg === '-6'))
      .join(' '),
  );
  return ['sh', '-c', 'printf "%s\\n" "$@" | ip -batch -', 'fwprobe-wiring', ...lines];
}

function check(where: string, commands: readonly string[][], steps: readonly StepResult[]): void {
  const failed = steps.find((s) => s.exitCode !== 0);
  if (failed) {
    const line = /Command failed -:(\d+)/.exec(failed.stderr)?.[1];
    const command = (line && commands[Number(line) - 1]) || failed.command;
    throw new LabWiringError(
      `Wiring the lab failed in ${where}: \`${command.join(' ')}\` exited ${failed.exitCode}: ${failed.stderr.trim() || failed.stdout.trim()}. ` +
        'fwprobe wires its networks with veth pairs moved into each container by pid: the engine must run containers ' +
        'without a user-namespace remap, and the host kernel needs veth and bridge support.',
    );
  }
}
