/** Which packet variants each probe gets, how many, and that a variant's success is named in the evidence. */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model/observation.ts';
import { corroborate } from './corroborate.ts';
import { parseProbeOutput } from './outcome.ts';
import { planProbes, probeCommand, type Probe, type ProbeSource } from './plan.ts';
import { GENERATORS, withVariants } from './variants.ts';
import { isOneWay, type SourceShape } from './shapes/shape.ts';

const MULTICAST_SHAPE: SourceShape = { kind: 'multicast', group: 'ff02::1', why: 'all-nodes' };

const LAB4: ProbeSource = { kind: 'lab', network: 'lab', shape: { kind: 'direct' }, family: 'ipv4', address: '10.213.7.3', target: '10.213.7.2' };
const LAB6: ProbeSource = { kind: 'lab', network: 'lab', shape: { kind: 'direct' }, family: 'ipv6', address: 'fd00:7::3', target: 'fd00:7::2' };
const LOOP6: ProbeSource = { kind: 'loopback', network: 'loopback', shape: { kind: 'loopback' }, family: 'ipv6', address: '::1', target: '::1' };
const MULTICAST: ProbeSource = { kind: 'lab', network: 'lab@multicast', shape: MULTICAST_SHAPE, family: 'ipv6', address: 'fd00:7::3', target: 'ff02::1%eth0' };

const one = (source: ProbeSource, protocol: 'tcp' | 'udp', vantage = 'peer'): Probe =>
  planProbes(vantage, [source], { tcp: protocol === 'tcp' ? [3306] : [], udp: protocol === 'udp' ? [3306] : [] }, { sourcePorts: [0] })[0]!;

describe('variant generators', () => {
  it('dstopts and hbh: IPv6 only, TCP and UDP, loopback too', () => {
    for (const v of ['dstopts', 'hbh'] as const) {
      expect(GENERATORS[v](one(LAB4, 'tcp'))).toBeNull();
      expect(GENERATORS[v](one(LAB6, 'tcp'))).toMatchObject({ variant: v, id: `peer.target.6.lab.tcp.3306.0.${v}`, family: 'ipv6', sourcePort: 0 });
      expect(GENERATORS[v](one(LAB6, 'udp'))).toMatchObject({ variant: v, protocol: 'udp' });
      expect(GENERATORS[v](one(LOOP6, 'tcp', 'loopback'))).toMatchObject({ variant: v });
    }
  });

  it("ecn and psh: TCP only, both families, never from loopback (the flags are rewritten in the sender's namespace)", () => {
    for (const v of ['ecn', 'psh'] as const) {
      expect(GENERATORS[v](one(LAB4, 'tcp'))).toMatchObject({ variant: v, id: `peer.target.4.lab.tcp.3306.0.${v}` });
      expect(GENERATORS[v](one(LAB6, 'tcp'))).toMatchObject({ variant: v });
      expect(GENERATORS[v](one(LAB4, 'udp'))).toBeNull();
      expect(GENERATORS[v](one(LOOP6, 'tcp', 'loopback'))).toBeNull();
    }
  });

  it("a variant's id stays within what fwprobe-probe accepts, and differs from the plain probe's", () => {
    const long: ProbeSource = { ...LAB6, network: 'a-rather-long-network-name@link-local', address: 'fe80::1:2:3:4%eth0', target: 'fe80::1%eth0' };
    const probe = GENERATORS.dstopts(one(long, 'tcp'))!;
    expect(probe.id).toMatch(/^[A-Za-z0-9._:@/+=][A-Za-z0-9._:@/+=-]{0,47}$/);
    expect(probe.id).not.toBe(one(long, 'tcp').id);
  });
});

describe('withVariants', () => {
  const plain = [
    ...planProbes('peer', [LAB4, LAB6, MULTICAST], { tcp: [3306], udp: [53] }, { sourcePorts: [20, 0, 53] }),
    ...planProbes('loopback', [LOOP6], { tcp: [3306], udp: [] }, { sourcePorts: [0] }),
  ];
  const all = withVariants(plain);
  const added = all.slice(plain.length);

  it('keeps the plain probes first and adds each variant once per source, protocol and port', () => {
    expect(all.slice(0, plain.length)).toEqual(plain);
    expect(added.map((p) => p.id)).toEqual([
      'peer.target.4.lab.tcp.3306.0.ecn',
      'peer.target.4.lab.tcp.3306.0.psh',
      'peer.target.6.lab.tcp.3306.0.dstopts',
      'peer.target.6.lab.tcp.3306.0.hbh',
      'peer.target.6.lab.tcp.3306.0.ecn',
      'peer.target.6.lab.tcp.3306.0.psh',
      'peer.target.6.lab.udp.53.0.dstopts',
      'peer.target.6.lab.udp.53.0.hbh',
      'loopback.target.6.loopback.tcp.3306.0.dstopts',
      'loopback.target.6.loopback.tcp.3306.0.hbh',
    ]);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
  });

  it('takes the ephemeral source port where planned, else the first; never a one-way source', () => {
    expect(added.every((p) => p.sourcePort === 0 && !isOneWay(p.source.shape))).toBe(true);
    const fixed = withVariants(planProbes('peer', [LAB4], { tcp: [22], udp: [] }, { sourcePorts: [53, 20] }));
    expect(fixed.filter((p) => p.variant).map((p) => [p.variant, p.sourcePort])).toEqual([
      ['ecn', 53],
      ['psh', 53],
    ]);
  });

  it('is idempotent: variants of variants are never made', () => {
    expect(withVariants(all)).toHaveLength(all.length + added.length);
    expect(withVariants(all).filter((p) => p.variant)).toHaveLength(2 * added.length);
  });

  it("sends the variant as the probe's seventh field", () => {
    const psh = added.find((p) => p.variant === 'psh')!;
    expect(probeCommand([psh], 500, 8).at(-1)).toBe('peer.target.4.lab.tcp.3306.0.psh,tcp,10.213.7.2,3306,10.213.7.3,0,psh');
    expect(probeCommand([plain[0]!], 500, 8).at(-1)).toBe('peer.target.4.lab.tcp.3306.20,tcp,10.213.7.2,3306,10.213.7.3,20');
  });
});

describe('a variant that gets in', () => {
  const probes = withVariants(planProbes('peer', [LAB6], { tcp: [3306], udp: [] }, { sourcePorts: [0] }));
  const run = (connected: string[]) =>
    parseProbeOutput({
      command: [],
      exitCode: 0,
      stderr: '',
      stdout: [
        '#fields\tid\tproto\tresult\tms\tladdr\tlport\traddr\trport\terrno\tstage\ttoken\treply\tvariant',
        ...probes.map((p) => `${p.id}\ttcp\t${connected.includes(p.id) ? 'connected' : 'timeout'}\t1\tfd00:7::3\t40000\tfd00:7::2\t3306\t-\t-\t-\t-\t${p.variant ?? '-'}`),
        `#end\tprobes=${probes.length}\tms=5\taborted=0`,
      ].join('\n'),
    });
  const filtered: Observation = { vantage: 'peer', family: 'ipv6', protocol: 'tcp', port: 3306, state: 'filtered', reason: 'no-response' };

  it('overrules nmap, and the reason and evidence name the variant', () => {
    const [o] = corroborate([filtered], probes, run(['peer.target.6.lab.tcp.3306.0.hbh']), []);
    expect(o).toMatchObject({
      state: 'open',
      reason: 'connect() from [fd00:7::3]:random with an IPv6 Hop-by-Hop Options header',
      evidence: { probes: 5, reached: 1, variant: 'hbh', variants: ['dstopts', 'hbh', 'ecn', 'psh'], scan: { state: 'filtered' } },
    });
  });

  it('a plain client that got in too is the one named', () => {
    const [o] = corroborate([filtered], probes, run(['peer.target.6.lab.tcp.3306.0.psh', 'peer.target.6.lab.tcp.3306.0']), []);
    expect(o).toMatchObject({ state: 'open', reason: 'connect() from [fd00:7::3]:random', evidence: { reached: 2 } });
    expect(o!.evidence).not.toHaveProperty('variant');
  });

  it('a variant that could not be sent while its plain twin was is an error naming it, never a silent gap', () => {
    const outcomes = run([]).map((o) => (o.id.endsWith('.psh') ? { ...o, result: 'error' as const, errno: 'EVARIANT', stage: 'socket' } : o));
    expect(() => corroborate([filtered], probes, outcomes, [])).toThrow(/The psh client probes for peer ipv6 tcp\/3306 could not be sent/);
    // Cut short by the call's deadline, like any plain probe: no error, the others still back the verdict.
    const aborted = run([]).map((o) => (o.id.endsWith('.psh') ? { ...o, result: 'aborted' as const } : o));
    expect(corroborate([filtered], probes, aborted, [])[0]).toMatchObject({ state: 'filtered', evidence: { probes: 4 } });
  });

  it('nothing got in: filtered stands, with the variants tried listed', () => {
    const [o] = corroborate([filtered], probes, run([]), []);
    expect(o).toMatchObject({ state: 'filtered', evidence: { probes: 5, reached: 0, variants: ['dstopts', 'hbh', 'ecn', 'psh'] } });
  });
});
