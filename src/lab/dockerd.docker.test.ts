/**
 * The core story of moby #22054, with Debian's real dockerd inside the target: `docker run -p 8080:80`
 * DNATs in `nat PREROUTING` and accepts in `FORWARD`, so the admin's INPUT drop for 8080 never sees a
 * peer's IPv4 connection, while the same drop does stop a port the target serves itself. With
 * `ip6tables: false` and the userland proxy on, IPv6 clients reach the container through docker-proxy on
 * [::]:8080, a local socket that INPUT does see. One lab, three rounds of probes from one peer.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { labNetwork, type Topology } from '../model/topology.ts';
import { FwprobeContainer, type StartedFwprobeContainer } from './container.ts';
import { ensureDockerdImage } from './dockerd-image.ts';
import { DockerdHostContainer, runPublished, startDockerd } from './dockerd-host.ts';
import { startServices } from './services.ts';
import { wireLab } from './wiring.ts';

const T4 = '10.213.0.1';
const T6 = 'fd00:f3b0::1';
const PEER4 = '10.213.0.2';
const TOPOLOGY: Topology = {
  declared: true,
  networks: [labNetwork('lab', '10.213.0.0/24', 'fd00:f3b0::/64', { ipv4: true, ipv6: true })],
  target: { role: 'host', interfaces: [{ name: 'eth0', network: 'lab', ipv4: T4, ipv6: T6 }] },
  peers: [{ name: 'peer', interfaces: [{ name: 'eth0', network: 'lab', ipv4: PEER4, ipv6: 'fd00:f3b0::2' }] }],
  behind: [],
};
/** The admin's own rules: deny 8080 and the target's own 9090 on INPUT, both families. */
const INPUT_DENY = [4, 6].flatMap((v) => [8080, 9090].map((port) => [v === 4 ? 'iptables' : 'ip6tables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(port), '-j', 'DROP']));
/** Docker's documented fix: DOCKER-USER sees forwarded packets; conntrack keeps the port before DNAT. */
const DOCKER_USER_DENY = ['iptables', '-I', 'DOCKER-USER', '-p', 'tcp', '-m', 'conntrack', '--ctorigdstport', '8080', '-j', 'DROP'];

const started: StartedFwprobeContainer[] = [];
let target: StartedFwprobeContainer;
let peer: StartedFwprobeContainer;
let webIp = '';
let dbIp = '';

beforeAll(async () => {
  const image = inject('fwprobeImage');
  const dockerdImage = await ensureDockerdImage(image);
  const lab = await new FwprobeContainer(image).withHostPid().start();
  started.push(lab);
  target = await new DockerdHostContainer(dockerdImage).withServices([{ protocol: 'tcp', port: 9090, bind: 'any' }]).start();
  started.push(target);
  peer = await new FwprobeContainer(image).start();
  started.push(peer);
  await wireLab(lab, TOPOLOGY, [
    { name: 'target', container: target, interfaces: TOPOLOGY.target.interfaces },
    { name: 'peer', container: peer, interfaces: TOPOLOGY.peers[0]!.interfaces },
  ]);
  await startServices(target);
  await startDockerd(target, { iptables: true, ip6tables: false, 'userland-proxy': true });
  webIp = (await runPublished(target, { name: 'web', publish: ['8080:80'], services: [{ protocol: 'tcp', port: 80 }] })).ipv4;
  dbIp = (await runPublished(target, { name: 'db', publish: ['127.0.0.1:5432:5432'], services: [{ protocol: 'tcp', port: 5432 }] })).ipv4;
  // An attacker on the segment routes Docker's bridge network through the target, as it can.
  await peer.runOk(['ip', 'route', 'add', '172.17.0.0/16', 'via', T4]);
});

afterAll(async () => {
  await Promise.all(started.map((c) => c.remove()));
});

/** One fwprobe-probe call from the peer: id → result (connected, timeout, refused, ...). */
async function probe(probes: Record<string, [string, number]>): Promise<Record<string, string>> {
  const lines = Object.entries(probes).map(([id, [dst, port]]) => `${id},tcp,${dst},${port},-,-,2000`);
  const out = await peer.runOk(['fwprobe-probe', ...lines]);
  expect(out, out).toMatch(/^#end\t/m);
  return Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t'))
      .map(([id, , result]) => [id, result]),
  );
}

const received = async (name: string) => target.runOk(['docker', 'exec', name, 'cat', '/run/fwprobe/received.log']);

describe('dockerd 20.10 (Debian docker.io) inside the target, -p 8080:80 and -p 127.0.0.1:5432:5432', () => {
  test('the daemon wrote its own DNAT, and docker-proxy listens on both families', async () => {
    const nat = await target.runOk(['iptables-save', '-t', 'nat']);
    expect(nat).toContain(`-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${webIp}:80`);
    expect(nat).toContain(`-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 5432 -j DNAT --to-destination ${dbIp}:5432`);
    const ss = await target.runOk(['ss', '-Hltnp']);
    expect(ss).toMatch(/0\.0\.0\.0:8080 .*docker-proxy/);
    expect(ss).toMatch(/\[::\]:8080 .*docker-proxy/);
    expect(ss).toMatch(/127\.0\.0\.1:5432 .*docker-proxy/);
  });

  test('before any admin rule: IPv4 is DNATed (peer source kept), IPv6 goes through docker-proxy (source lost), the 127.0.0.1 port is reachable by routing to the container', async () => {
    const r = await probe({ v4: [T4, 8080], v6: [T6, 8080], db4: [T4, 5432], dbDirect: [dbIp, 5432] });
    expect(r).toEqual({ v4: 'connected', v6: 'connected', db4: 'refused', dbDirect: 'connected' });
    const web = await received('web');
    expect(web).toMatch(new RegExp(`\\ttcp\\t${PEER4.replaceAll('.', '\\.')}\\t`));
    expect(web).toMatch(/\ttcp\t172\.17\.0\.1\t/);
    expect(await received('db')).toMatch(new RegExp(`\\ttcp\\t${PEER4.replaceAll('.', '\\.')}\\t`));
  });

  test("the admin's INPUT drop stops the target's own 9090 and IPv6's docker-proxy, but not IPv4's published 8080", async () => {
    for (const rule of INPUT_DENY) await target.runOk(rule);
    const r = await probe({ v4: [T4, 8080], own4: [T4, 9090], v6: [T6, 8080], own6: [T6, 9090] });
    expect(r).toEqual({ v4: 'connected', own4: 'timeout', v6: 'timeout', own6: 'timeout' });
  });

  test('a DOCKER-USER drop (the documented fix) stops the published 8080', async () => {
    await target.runOk(DOCKER_USER_DENY);
    expect(await probe({ v4: [T4, 8080] })).toEqual({ v4: 'timeout' });
  });
});
