/**
 * The round trip of a real host, in labs: a lab container set up as the host (a v4-only ruleset, listeners
 * on some addresses only, two interfaces), the collect script run in it with dash, the bundle captured into
 * a scenario folder, and that scenario run: it must see what the host exposes, the IPv6 gap included.
 * Then, on the machine the tests run on: capture without --from, and the script run without root.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { FwprobeContainer } from '../../src/lab/container.ts';
import { startServices } from '../../src/lab/services.ts';
import { wireLab } from '../../src/lab/wiring.ts';
import { DEFAULT_SOURCES } from '../../src/model/scenario.ts';
import { defaultTopology } from '../../src/model/topology.ts';
import { runScenarioFile } from '../../src/run/files.ts';
import { main } from '../../src/cli/main.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { captureBundle, collectScript } from '../../src/scenario/bundle/index.ts';
import { holdEveryLabSlot } from './exclusive-labs.ts';
import { parseBundle } from '../../src/scenario/bundle/schema.ts';

/** The 2009 post's host: INPUT DROP with ssh allowed, for IPv4 only. */
const V4_ONLY =
  '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';

describe('collect → capture → run', () => {
  test('the captured host shows its IPv6 gap: 80 filtered over IPv4, open over IPv6, from the peer', async () => {
    const image = inject('fwprobeImage');
    const topology = defaultTopology(DEFAULT_SOURCES);
    // The host by hand: its containers are removed (the end of the try below) before the captured scenario's lab starts.
    let collected: { exitCode: number; stdout: string; stderr: string };
    let collectMs: number;
    // The collect script's time bound below holds on a machine not overrun: no other lab runs meanwhile
    // (other scenario files run beside this one), until these containers are removed.
    const release = await holdEveryLabSlot();
    try {
      await using lab = await new FwprobeContainer(image).withHostPid().start();
      await using host = await new FwprobeContainer(image)
        .withServices([
          { protocol: 'tcp', port: 22, bind: 'any' },
          { protocol: 'tcp', port: 80, bind: 'any' },
          { protocol: 'tcp', port: 5432, bind: '127.0.0.1' },
          { protocol: 'tcp', port: 8080, bind: 'any6' },
        ])
        .start();
      await wireLab(lab, topology, [{ name: 'target', container: host, interfaces: topology.target.interfaces }]);
      await startServices(host);
      await host.copyContentToContainer([{ content: V4_ONLY, target: '/run/host.rules.v4', mode: 0o600 }]);
      await host.runOk(['iptables-restore', '/run/host.rules.v4']);

      const started = Date.now();
      collected = await host.run(['dash', '-c', collectScript()]);
      collectMs = Date.now() - started;
      expect(collected.exitCode, collected.stderr).toBe(0);
      // The script stops starting commands at 4 s and kills one at 5 s at the latest; the rest is `docker exec`
      // on a loaded machine (4.8 s measured here with five other suites running).
      expect(collectMs).toBeLessThan(8_000);
    } finally {
      await release();
    }
    const bundle = parseBundle(collected.stdout, 'lab bundle');
    expect(bundle.iptables_version.text).toContain('nf_tables');
    expect(bundle.iptables_save.text).toContain('--dport 22 -j ACCEPT');
    expect(bundle.docker_ps.status).toBe('missing');

    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-captured-'));
    try {
      const { files } = captureBundle(collected.stdout, 'lab.json');
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      process.stderr.write(`collect took ${collectMs} ms; captured scenario:\n${files['host.scenario.yaml']}\n`);
      const yaml = files['host.scenario.yaml']!;
      // The host's bind addresses and interfaces, as they were.
      expect(yaml).toMatch(/port: 5432\n\s+protocol: tcp\n\s+bind: 127\.0\.0\.1/);
      expect(yaml).toMatch(/port: 8080\n\s+protocol: tcp\n\s+bind: any6/);
      // One dual-stack socket (ss prints `*:22`) stays one dual-stack service.
      expect(yaml).toMatch(/port: 22\n\s+protocol: tcp\n\s+bind: any\n/);
      expect(yaml).toMatch(/peer-eth0:\n\s+network: eth0\n\s+peer-eth1:/);
      expect(yaml).toContain('ipv4: 10.213.0.0/24');
      expect(files).not.toHaveProperty('host.rules.v6');

      const result = await runScenarioFile(join(dir, 'host.scenario.yaml'), { image, attribution: false });
      expect(result.status, result.error).toBe('failed');
      const seen = (vantage: string, family: string, port: number) =>
        result.observations.find((o) => o.vantage === vantage && o.family === family && o.protocol === 'tcp' && o.port === port && o.host === undefined)?.state;
      const peer = result.scans.find((s) => s.vantage !== 'loopback')!.vantage;
      expect([22, 80, 5432, 8080].map((p) => [p, seen(peer, 'ipv4', p), seen(peer, 'ipv6', p)])).toEqual([
        [22, 'open', 'open'],
        [80, 'filtered', 'open'],
        [5432, 'filtered', 'closed'],
        [8080, 'filtered', 'open'],
      ]);
      const gaps = (result.verdict?.parity ?? []).map((f) => `${f.vantage} ${f.protocol}/${f.port} ${f.ipv4.state}→${f.ipv6.state}`);
      expect(gaps).toContain(`${peer} tcp/80 filtered→open`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('capture without --from', () => {
  // It needs root, as on a server; CI runs as root.
  test.skipIf(process.getuid?.() !== 0)('reads the machine it runs on (root, with its own Docker rules) into a scenario that loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-captured-here-'));
    try {
      // Timed: no other lab runs meanwhile (other scenario files run beside this one).
      const release = await holdEveryLabSlot();
      const started = Date.now();
      try {
        expect(await main(['capture', '--out', dir])).toBe(0);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await release();
      }
      const scenario = await loadScenario(join(dir, 'host.scenario.yaml'));
      expect(scenario.ruleset).toBeDefined();
      expect(scenario.parity.mode).toBe('strict');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the collect script without root', () => {
  // setpriv drops to nobody, which only root may do; CI runs as root.
  test.skipIf(process.getuid?.() !== 0)('writes a whole bundle that says what it could not read, and capture refuses it naming the field', () => {
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'dash', '-s'], { input: collectScript(), encoding: 'utf8', timeout: 15_000 });
    expect(run.status, run.stderr).toBe(0);
    const bundle = parseBundle(run.stdout, 'nobody bundle');
    expect(bundle.uid.text).toBe('65534\n');
    expect(bundle.iptables_save.status).toBe('failed');
    expect(() => captureBundle(run.stdout, 'nobody.json')).toThrow(/items\.iptables_save: the command exited \d+, .*as root/);
  });
});
