/** The reachability check before any ruleset: which shapes must reach, what counts as reached, and the retries. */
import { describe, expect, it } from 'vitest';
import type { ProbeOutcome } from './outcome.ts';
import { planProbes, type ProbeSource } from './plan.ts';
import { checkReachability, failing, mustReach, planReachability } from './reachability.ts';

const DIRECT: ProbeSource = { kind: 'lab', network: 'lab', shape: { kind: 'direct' }, family: 'ipv4', address: '10.0.0.2', target: '10.0.0.1' };
const MCAST: ProbeSource = { kind: 'lab', network: 'lab@multicast', shape: { kind: 'multicast', group: '224.0.0.1', why: 'all-nodes' }, family: 'ipv4', address: '10.0.0.2', target: '224.0.0.1' };
const ALL_NODES: ProbeSource = { ...MCAST, family: 'ipv6', address: 'fd00::2', target: 'ff02::1%eth0', shape: { kind: 'multicast', group: 'ff02::1', why: 'all-nodes' } };
const outcome = (id: string, result: ProbeOutcome['result'], token: string | null = null): ProbeOutcome => ({ id, result, local: '', errno: null, stage: null, token });

describe('reachability', () => {
  it('requires the shapes that reach any listener; the socket-family and kernel-state ones only add evidence', () => {
    expect(mustReach(DIRECT.shape)).toBe(true);
    expect(mustReach(ALL_NODES.shape)).toBe(true);
    expect(mustReach(MCAST.shape)).toBe(false);
    expect(mustReach({ kind: 'anycast', subnet: 'fd00::/64' })).toBe(false);
    expect(mustReach({ kind: 'spoof-own', iface: 'eth0' })).toBe(false);
    const probes = planReachability({ peer: [DIRECT, MCAST] }, ['peer'], () => [{ port: 53, protocol: 'udp', bind: 'any4' }]);
    expect(probes.map((p) => p.id)).toEqual(['peer.target.4.lab.udp.53.0']);
  });

  it('a one-way datagram counts only when the target logged its token; a two-way one when answered', () => {
    const probes = planProbes('peer', [DIRECT, ALL_NODES], { tcp: [], udp: [53] }, { sourcePorts: [0] });
    const byId = new Map(probes.map((p) => [p.id, p]));
    const [direct, mcast] = probes.map((p) => p.id) as [string, string];
    const logged = (host?: string) => [{ protocol: 'udp' as const, source: '', sourcePort: 1, port: 53, data: 'tok', ...(host ? { host } : {}) }];
    expect(failing([outcome(direct, 'answered'), outcome(mcast, 'answered', 'tok')], byId, logged('web')).map((o) => o.id)).toEqual([mcast]);
    expect(failing([outcome(mcast, 'silent', 'tok')], byId, logged())).toEqual([]);
  });

  it("flushes the target after every vantage's clients, even when it sent loopback clients and flushed itself", async () => {
    const LO: ProbeSource = { kind: 'loopback', network: 'loopback', shape: { kind: 'loopback' }, family: 'ipv4', address: '127.0.0.1', target: '127.0.0.1' };
    const probes = [...planProbes('loopback', [LO], { tcp: [22], udp: [] }, { sourcePorts: [0] }), ...planProbes('peer', [DIRECT], { tcp: [22], udp: [] }, { sourcePorts: [0] })];
    const excepted: Set<string>[] = [];
    await checkReachability(probes, {
      send: async (list) => list.map((p) => outcome(p.id, 'connected')),
      received: async () => [],
      flush: async (except) => void excepted.push(new Set(except)),
    });
    expect(excepted).toEqual([new Set(['peer'])]);
  });

  it('asks a failing client twice more, flushing caches, then names it in a lab error', async () => {
    const probes = planProbes('peer', [DIRECT], { tcp: [22], udp: [] }, { sourcePorts: [0] });
    const sent: boolean[] = [];
    let flushes = 0;
    const steps = {
      send: async (list: readonly { id: string }[], flushAfter: boolean) => (sent.push(flushAfter), list.map((p) => outcome(p.id, 'timeout'))),
      received: async () => [],
      flush: async () => void flushes++,
      pause: async () => {},
    };
    await expect(checkReachability(probes, steps)).rejects.toThrow(/three tries\): peer\.target\.4\.lab\.tcp\.22\.0 timeout\. The lab network/);
    expect(sent).toEqual([true, false, false]);
    expect(flushes).toBe(3);
    let tries = 0;
    await expect(checkReachability(probes, { ...steps, send: async (list) => list.map((p) => outcome(p.id, ++tries === 2 ? 'connected' : 'timeout')) })).resolves.toBeUndefined();
    expect(tries).toBe(2);
  });
});
