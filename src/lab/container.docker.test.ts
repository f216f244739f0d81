import { describe, expect, inject, test } from 'vitest';
import { FwprobeContainer } from './container.ts';
import { LabSelfCheckError } from '../model/errors.ts';
import { wireLab } from './wiring.ts';
import { defaultTopology } from '../model/topology.ts';
import { DEFAULT_SOURCES } from '../model/scenario.ts';
import { selfCheck } from './self-check.ts';
import { startServices } from './services.ts';
import { scanPorts } from '../scan/nmap.ts';
import { LabScope } from '../scan/scope.ts';

/** A target with IPv6 switched off on lo, as Docker makes containers by default. */
class NoIpv6Container extends FwprobeContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, 'net.ipv6.conf.lo.disable_ipv6': '1', 'net.ipv6.conf.all.disable_ipv6': '1' };
  }
}

/** A target without NET_ADMIN: iptables and ip6tables cannot even list their rules. */
class NoNetAdminContainer extends FwprobeContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.CapAdd = ['NET_RAW', 'NET_BIND_SERVICE'];
  }
}

const SSH = [{ protocol: 'tcp' as const, port: 22, bind: 'any' }];

describe('lab self-check', () => {
  test('passes on a proper target with its services listening', async () => {
    await using target = await new FwprobeContainer(inject('fwprobeImage')).withServices(SSH).start();
    await startServices(target);
    await expect(selfCheck(target)).resolves.toMatchObject({ listening: expect.arrayContaining([expect.stringMatching(/^tcp/)]) });
  });

  test('fails when ::1 is missing, so IPv6 loopback scans cannot pass by silence', async () => {
    await using target = await new NoIpv6Container(inject('fwprobeImage')).start();
    const check = selfCheck(target);
    await expect(check).rejects.toBeInstanceOf(LabSelfCheckError);
    await expect(check).rejects.toThrow(/::1 is not on lo/);
  });

  test('fails when iptables and ip6tables are unusable', async () => {
    await using target = await new NoNetAdminContainer(inject('fwprobeImage')).start();
    await expect(selfCheck(target)).rejects.toThrow(/ip6tables is unusable: Command failed with exit code \d+: ip6tables -w -S/);
  });

  test('a service that cannot bind fails its start, named with what the listener said, in one look', async () => {
    await using target = await new FwprobeContainer(inject('fwprobeImage')).withServices([...SSH, { protocol: 'tcp', port: 80, bind: '192.0.2.7' }]).start();
    const t0 = Date.now();
    await expect(startServices(target)).rejects.toThrow(
      /These services are not listening: tcp:22:any, tcp:80:192\.0\.2\.7\.\nfwprobe-listener tcp:22:any tcp:80:192\.0\.2\.7 said:\nfwprobe-listener: bind tcp:80:192\.0\.2\.7: /,
    );
    // The listener dies on its first failed bind and the exec waits for that: no 15 s poll to the deadline.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('fails when a declared service is not listening', async () => {
    await using target = await new FwprobeContainer(inject('fwprobeImage')).withServices(SSH).start();
    await expect(selfCheck(target)).rejects.toThrow(/services not listening: tcp:22:any/);
  });

  test('serves TCP and UDP on both families, and the legacy backend takes plain `iptables`', async () => {
    await using target = await new FwprobeContainer(inject('fwprobeImage'))
      .withServices([...SSH, { protocol: 'udp', port: 53, bind: 'any' }])
      .withBackend('legacy')
      .start();
    await startServices(target);
    expect(await target.runOk(['iptables', '--version'])).toContain('legacy');
    const udp = await scanPorts((c) => target.run(c), { vantage: 'loopback', family: 'ipv6', protocol: 'udp', target: '::1', ports: [53, 54] }, new LabScope());
    expect(udp.observations.map((o) => [o.port, o.state, o.reason])).toEqual([
      [53, 'open', 'udp-response'],
      [54, 'closed', 'port-unreach'],
    ]);
  });
});

describe('lab self-check on a lab network', () => {
  test('fails when the lab interface is down, so the peer cannot mistake "no host" for a firewall', async () => {
    const topology = defaultTopology(DEFAULT_SOURCES);
    await using lab = await new FwprobeContainer(inject('fwprobeImage')).withHostPid().start();
    await using target = await new FwprobeContainer(inject('fwprobeImage')).start();
    await wireLab(lab, topology, [{ name: 'target', container: target, interfaces: topology.target.interfaces }]);
    const addresses = { addresses: topology.target.interfaces.flatMap((i) => [i.ipv4, i.ipv6]), peers: [] };
    // The interfaces carry the names and addresses the topology gave them, nothing of Docker's.
    const shown = await target.runOk(['ip', '-br', 'addr', 'show']);
    expect(shown).toMatch(/^eth0@\S+\s+UP\s+10\.213\.0\.1\/24 fd00:f3b0::1\/64/m);
    expect(shown).toMatch(/^eth1@\S+\s+UP\s+198\.51\.100\.1\/28 3fff:0:0:1::1\/64/m);
    await expect(selfCheck(target, addresses)).resolves.toMatchObject({ addresses: expect.arrayContaining([expect.stringMatching(/eth0 +inet 10\.213\.0\.1\/24/)]) });
    await target.runOk(['ip', 'link', 'set', 'eth0', 'down']);
    await expect(selfCheck(target, addresses)).rejects.toThrow(/the lab address .* is not on an UP interface/);
  });
});
