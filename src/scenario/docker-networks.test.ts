/**
 * `docker.networks` through the loader: a user-defined bridge with its subnets, containers attached to it
 * by name, and every bad declaration named by its field with what to do (a missing or public subnet, IPv6
 * without ip6tables, a pool dockerd would refuse as overlapping, an undeclared network, Docker's own names).
 */
import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';

const base = { name: 'n', ruleset: { none: true }, parity: 'strict', services: ['9090/tcp'] } as const;
const file = '/nonexistent/x.scenario.yaml';
const web = { network: 'app', services: ['80/tcp'] };

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normaliseScenario({ ...base, ...input }, { file }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('docker.networks', () => {
  test('a declared bridge, canonical, with its container on it; a container without network is on docker0', async () => {
    const scenario = await normaliseScenario(
      {
        ...base,
        docker: {
          daemon: { ip6tables: true },
          networks: { app: { ipv4: '172.30.0.0/24', ipv6: 'fd00:d0c:1:0::/64' }, vault: { ipv4: '192.168.50.0/24', internal: true } },
          containers: { web, db: { services: ['5432/tcp'] } },
        },
        expect: { peer: { behind: { web: { both: { tcp: { open: [80] } } } } } },
      },
      { file },
    );
    expect(scenario.docker?.networks).toEqual([
      { name: 'app', ipv4: '172.30.0.0/24', ipv6: 'fd00:d0c:1::/64', internal: false },
      { name: 'vault', ipv4: '192.168.50.0/24', ipv6: null, internal: true },
    ]);
    expect(scenario.docker?.containers.map((c) => `${c.name}@${c.network}`)).toEqual(['web@app', 'db@bridge']);
  });

  test('a missing, public or malformed subnet is named with an example', async () => {
    expect(await issuesOf({ docker: { networks: { app: {} }, containers: { web } } })).toEqual([
      "docker.networks.app.ipv4: expected the network's IPv4 subnet, like 172.30.0.0/24: fwprobe checks it against the lab's networks before anything starts",
    ]);
    expect(await issuesOf({ docker: { networks: { app: { ipv4: '8.8.8.0/24' } }, containers: { web } } })).toEqual([
      'docker.networks.app.ipv4: expected a private subnet (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): the peers probe the containers\' addresses on it, found "8.8.8.0/24"',
    ]);
    expect(await issuesOf({ docker: { daemon: { ip6tables: true }, networks: { app: { ipv4: '172.30.0.0/24', ipv6: '2001:db8::/64' } }, containers: { web } } })).toEqual([
      expect.stringMatching(/^docker\.networks\.app\.ipv6: expected a private subnet \(inside fc00::\/7\)/),
    ]);
    expect(await issuesOf({ docker: { networks: { app: { ipv4: '172.30.0.0/30' } }, containers: { web } } })).toEqual([
      'docker.networks.app.ipv4: expected an IPv4 subnet with a prefix from /16 to /29, like 172.30.0.0/24, found "172.30.0.0/30"',
    ]);
  });

  test('IPv6 without the daemon’s ip6tables, and pools dockerd refuses as overlapping, name the field and the fix', async () => {
    expect(await issuesOf({ docker: { networks: { app: { ipv4: '172.30.0.0/24', ipv6: 'fd00:d0c:1::/64' } }, containers: { web } } })).toEqual([
      'docker.networks.app.ipv6: expected docker.daemon.ip6tables: true for an IPv6 network (dockerd writes no ip6tables rules without it): set it, or leave ipv6 out',
    ]);
    const issues = await issuesOf({
      docker: {
        daemon: { ip6tables: true },
        networks: { app: { ipv4: '172.17.5.0/24', ipv6: 'fd00:d0c::/80' }, other: { ipv4: '172.30.0.0/16' }, third: { ipv4: '172.30.9.0/24' } },
        containers: { web },
      },
    });
    expect(issues).toEqual([
      'docker.networks.app.ipv4: expected a subnet apart from docker0 (bridge, 172.17.0.0/16), found 172.17.5.0/24: dockerd refuses overlapping pools; choose another',
      "docker.networks.app.ipv6: expected a subnet apart from docker0's IPv6 (fixed-cidr-v6, fd00:d0c::/64), found fd00:d0c::/80: dockerd refuses overlapping pools; choose another",
      'docker.networks.third.ipv4: expected a subnet apart from docker.networks.other.ipv4 (172.30.0.0/16), found 172.30.9.0/24: dockerd refuses overlapping pools; choose another',
    ]);
  });

  test("an undeclared network, Docker's own names, and IPv6 expectations of a container whose network has none", async () => {
    expect(await issuesOf({ docker: { networks: { app: { ipv4: '172.30.0.0/24' } }, containers: { web: { ...web, network: 'ap' } } } })).toEqual([
      'docker.containers.web.network: expected bridge (docker0) or a network declared under docker.networks (app), found ap: declare it there, or leave network out for docker0',
    ]);
    expect(await issuesOf({ docker: { networks: { bridge: { ipv4: '172.30.0.0/24' } }, containers: { web: { services: ['80/tcp'] } } } })).toEqual([
      expect.stringMatching(/^docker\.networks\.bridge: expected a name other than bridge, host, none, docker0/),
    ]);
    expect(
      await issuesOf({
        docker: { daemon: { ip6tables: true }, networks: { app: { ipv4: '172.30.0.0/24' } }, containers: { web } },
        expect: { peer: { behind: { web: { both: { tcp: { open: [80] } } } } } },
      }),
    ).toEqual(['expect.peer.behind.web: expected ipv4 expectations only for container web: its network app has no ipv6 subnet (docker.networks.app.ipv6)']);
  });
});
