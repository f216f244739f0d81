import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadScenario } from '../load.ts';
import { bundleText, V4_ONLY_HOST } from './bundle.test-helpers.ts';
import { captureBundle } from './index.ts';
import { hostFacts } from './host.ts';
import { parseBundle } from './schema.ts';
import { toScenario } from './to-scenario.ts';
import { nativeNftTables } from './ruleset-files.ts';

const facts = (items = V4_ONLY_HOST) => hostFacts(parseBundle(bundleText(items), 'host.json'));

describe('bundle → scenario', () => {
  test('a v4-only host: the v4 save file alone, services with their bind addresses, a network and peer per interface', () => {
    const { scenario, files, notes } = toScenario(facts());
    expect(scenario.ruleset).toEqual({ v4: 'host.rules.v4' });
    expect(files['host.rules.v4']).toContain(':INPUT DROP');
    expect(files).not.toHaveProperty('host.rules.v6');
    expect(scenario.services).toEqual([
      { port: 22, protocol: 'tcp', bind: 'any4' },
      { port: 22, protocol: 'tcp', bind: 'any6' },
      { port: 80, protocol: 'tcp', bind: 'any6' },
      { port: 5432, protocol: 'tcp', bind: '127.0.0.1' },
      { port: 8080, protocol: 'tcp', bind: '192.0.2.10' },
      { port: 53, protocol: 'udp', bind: '127.0.0.53' },
      { port: 123, protocol: 'udp', bind: 'any' },
    ]);
    expect(scenario.networks).toEqual({ eth0: { ipv4: '192.0.2.0/24', ipv6: '2001:db8:1::/64' }, eth1: { ipv4: '10.1.0.0/16' } });
    expect(scenario.target).toEqual({
      interfaces: [
        { network: 'eth0', name: 'eth0', ipv4: '192.0.2.10', ipv6: '2001:db8:1::10' },
        { network: 'eth1', name: 'eth1', ipv4: '10.1.2.3' },
      ],
    });
    expect(scenario.peers).toEqual({ 'peer-eth0': { network: 'eth0' }, 'peer-eth1': { network: 'eth1' } });
    expect(scenario.parity).toBe('strict');
    expect(scenario).not.toHaveProperty('expect');
    // What the lab cannot hold is said, not silently dropped.
    expect(notes).toContainEqual(expect.stringMatching(/198\.51\.100\.7:9090 is not reproduced: the lab's target does not hold 198\.51\.100\.7/));
    expect(notes).toContainEqual(expect.stringMatching(/127\.0\.0\.53:53 is bound to lo/));
  });

  test('a wider socket wins over a narrower one on the same port and family, and the narrower is named', () => {
    const ss = ['udp UNCONN 0 0 127.0.0.53:53 0.0.0.0:*', 'udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:*', 'udp UNCONN 0 0 0.0.0.0:53 0.0.0.0:*'].join('\n');
    const { scenario, notes } = toScenario(facts({ ...V4_ONLY_HOST, ss }));
    expect(scenario.services).toEqual([{ port: 53, protocol: 'udp', bind: 'any4' }]);
    expect(notes.filter((n) => /53/.test(n))).toEqual(['udp 127.0.0.53:53 is not reproduced: a wider socket on the same port and family is (the lab serves one per port and family)']);
  });

  test('forwarding makes a router; legacy backend is kept; native nft tables become a layer', () => {
    const nft = V4_ONLY_HOST.nft_ruleset + 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}\n';
    const routed = toScenario(facts({ ...V4_ONLY_HOST, sysctl: 'net.ipv4.ip_forward = 1\n', nft_ruleset: nft }));
    expect(routed.scenario.target).toMatchObject({ role: 'router' });
    expect(routed.scenario.ruleset).toEqual([{ v4: 'host.rules.v4' }, { nft: 'host.nft' }]);
    expect(routed.files['host.nft']).toMatch(/^table inet filter \{/);
    expect(routed.files['host.nft']).not.toContain('table ip filter');
    const legacy = toScenario(facts({ ...V4_ONLY_HOST, iptables_version: 'iptables v1.8.9 (legacy)\n' }));
    expect(legacy.scenario.backend).toBe('legacy');
    // iptables before 1.8 had only the legacy backend and did not name it.
    expect(toScenario(facts({ ...V4_ONLY_HOST, iptables_version: 'iptables v1.4.21\n' })).scenario.backend).toBe('legacy');
    expect(toScenario(facts({ ...V4_ONLY_HOST, iptables_version: 'iptables v1.8.9 (nf_tables)\n' })).scenario).not.toHaveProperty('backend');
  });

  test('nativeNftTables keeps only tables iptables-nft did not make', () => {
    const text = 'table ip nat {\n}\ntable ip6 filter {\n\tchain x {\n\t}\n}\ntable inet fw {\n\tchain y {\n\t}\n}\ntable ip mytable {\n}\n';
    expect(nativeNftTables(text, { ip: '*nat\nCOMMIT\n', ip6: '*filter\nCOMMIT\n' })).toBe('table inet fw {\n\tchain y {\n\t}\n}\ntable ip mytable {\n}');
  });

  test('a native `table ip filter` iptables-save calls incompatible is captured from nft, not dropped from both', () => {
    // Attack fixture: IPv4 drops 8080 in a table iptables-nft cannot print; IPv6 has no rule. Dropped from
    // both, the lab applied no IPv4 rule and audit called IPv6 filtered like IPv4.
    const nft = 'table ip filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 8080 ct state new drop\n\t}\n}\n';
    const { files, scenario } = toScenario(facts({ ...V4_ONLY_HOST, iptables_save: "# Table `filter' is incompatible, use 'nft' tool.\n", nft_ruleset: nft }));
    expect(files['host.nft']).toContain('table ip filter {');
    expect(files['host.nft']).toContain('tcp dport 8080 ct state new drop');
    expect(scenario.ruleset).toEqual({ nft: 'host.nft' });
  });

  test('what the lab cannot express: a /32, a Docker bridge, a host without readable interfaces', () => {
    const addr = JSON.stringify([
      { ifname: 'ens5', addr_info: [{ family: 'inet', local: '203.0.113.9', prefixlen: 32, scope: 'global' }] },
      { ifname: 'docker0', addr_info: [{ family: 'inet', local: '172.17.0.1', prefixlen: 16, scope: 'global' }] },
    ]);
    const { scenario, notes } = toScenario(facts({ ...V4_ONLY_HOST, ip_addr: addr }));
    expect(scenario).not.toHaveProperty('networks');
    expect(notes).toContainEqual('ens5 203.0.113.9/32 is not reproduced: a lab network takes /8 to /29');
    expect(notes).toContainEqual(expect.stringMatching(/no interface of the host was reproduced/));
  });

  test('the written folder loads as a scenario, as `fwprobe run` would load it; a host with no listener still scans ports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-capture-'));
    try {
      const quiet = captureBundle(bundleText({ ...V4_ONLY_HOST, ss: '' }), 'quiet.json');
      await writeFile(join(dir, 'quiet.scenario.yaml'), quiet.files['host.scenario.yaml']!);
      await writeFile(join(dir, 'host.rules.v4'), quiet.files['host.rules.v4']!);
      const quietLoaded = await loadScenario(join(dir, 'quiet.scenario.yaml'));
      expect(quietLoaded.services).toEqual([]);
      expect(quietLoaded.scan.tcp).toMatchObject({ kind: 'top', count: 100 });
      const { files } = captureBundle(bundleText(V4_ONLY_HOST), 'host.json');
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      expect(parse(files['host.scenario.yaml']!)).toMatchObject({ name: 'captured web1', parity: 'strict' });
      const loaded = await loadScenario(join(dir, 'host.scenario.yaml'));
      expect(loaded.services.map((s) => `${s.protocol}/${s.port}/${s.bind}`)).toContain('tcp/5432/127.0.0.1');
      expect(loaded.topology.target.interfaces.map((i) => [i.name, i.ipv4])).toEqual([
        ['eth0', '192.0.2.10'],
        ['eth1', '10.1.2.3'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
