/**
 * The inner containers of the target's dockerd join the lab: the scope guard allows exactly their addresses
 * (nothing else of Docker's subnet, nothing of the engine's), and each peer on a target network routes
 * Docker's bridge subnets through the target's address on that network.
 */
import { describe, expect, test } from 'vitest';
import { OutOfScopeTargetError } from '../model/errors.ts';
import { labNetwork, type Topology } from '../model/topology.ts';
import type { Scenario } from '../model/scenario.ts';
import { LabScope } from '../scan/scope.ts';
import type { StartedFwprobeContainer } from '../lab/container.ts';
import { addDockerContainers, type Lab } from './lab-setup.ts';

const topology: Topology = {
  declared: true,
  networks: [labNetwork('lan', '10.9.0.0/24', 'fd09::/64', { ipv4: true, ipv6: true }), labNetwork('far', '10.8.0.0/24', 'fd08::/64', { ipv4: true, ipv6: true })],
  target: { role: 'host', interfaces: [{ name: 'eth0', network: 'lan', ipv4: '10.9.0.1', ipv6: 'fd09::1' }] },
  peers: [
    { name: 'peer', interfaces: [{ name: 'eth0', network: 'lan', ipv4: '10.9.0.2', ipv6: 'fd09::2' }] },
    { name: 'away', interfaces: [{ name: 'eth0', network: 'far', ipv4: '10.8.0.2', ipv6: 'fd08::2' }] },
  ],
  behind: [],
};

function fakePeer(commands: string[][]): StartedFwprobeContainer {
  return { runOk: async (command: string[]) => (commands.push(command), '') } as unknown as StartedFwprobeContainer;
}

describe('addDockerContainers', () => {
  test('scope: exactly the inner containers, per family; routes: the peer on the target network, via the target', async () => {
    const scope = new LabScope();
    const peerCommands: string[][] = [];
    const awayCommands: string[][] = [];
    const lab = {
      scope,
      peers: new Map([
        ['peer', fakePeer(peerCommands)],
        ['away', fakePeer(awayCommands)],
      ]),
    } as unknown as Lab;
    const routed = await addDockerContainers({ topology } as Scenario, lab, {
      containers: [
        { name: 'web', ipv4: '172.17.0.2', ipv6: null },
        { name: 'db', ipv4: '172.17.0.3', ipv6: 'fd00:d0c::242:ac11:3' },
      ],
      subnets: { ipv4: '172.17.0.0/16', ipv6: 'fd00:d0c::/64' },
      saved: { v4: '', v6: '' },
      readySeconds: 1,
    });
    for (const [address, family] of [
      ['172.17.0.2', 'ipv4'],
      ['172.17.0.3', 'ipv4'],
      ['fd00:d0c::242:ac11:3', 'ipv6'],
    ] as const) {
      expect(() => scope.assertAllowed(address, 'peer', family)).not.toThrow();
    }
    // Docker's gateway, another address of its subnet, the engine's own bridge, web over IPv6: refused.
    for (const [address, family] of [
      ['172.17.0.1', 'ipv4'],
      ['172.17.0.4', 'ipv4'],
      ['172.18.0.2', 'ipv4'],
      ['fd00:d0c::1', 'ipv6'],
      ['172.17.0.2', 'ipv6'],
    ] as const) {
      expect(() => scope.assertAllowed(address, 'peer', family), address).toThrow(OutOfScopeTargetError);
    }
    expect(peerCommands).toEqual([
      ['ip', 'route', 'replace', '172.17.0.0/16', 'via', '10.9.0.1'],
      ['ip', '-6', 'route', 'replace', 'fd00:d0c::/64', 'via', 'fd09::1'],
    ]);
    // Not on a network of the target: no next hop to route through, and no client of the containers from there.
    expect(awayCommands).toEqual([]);
    expect(routed).toEqual(['peer']);
  });
});
