/** Ports of interest: services, named ports and NAT-mapped ports, all probed, or an error that says how to narrow. */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../model/scenario.ts';
import { defaultTopology } from '../../model/topology.ts';
import { DEFAULT_SOURCES } from '../../model/scenario.ts';
import { MAX_PROBED_PORTS, portsToProbe } from './ports.ts';

type Input = Parameters<typeof portsToProbe>[0];

function scenario(named: number[], services = [{ protocol: 'tcp' as const, port: 22 }]): Input {
  const expectation = { vantage: 'peer', family: 'ipv4', protocol: 'tcp', open: [], closed: [], filtered: named, unreachable: [], others: null };
  return {
    name: 'web',
    services: services.map((s) => ({ ...s, bind: 'any' })),
    expectations: [expectation],
    topology: defaultTopology(DEFAULT_SOURCES),
  } as unknown as Pick<Scenario, 'services' | 'expectations' | 'topology' | 'name'>;
}

describe('ports to probe', () => {
  it('services, named ports and NAT-mapped ports, once each, sorted', () => {
    expect(portsToProbe(scenario([8080, 22, 443]), undefined, { tcp: [13306], udp: [5353] })).toEqual({ tcp: [22, 443, 8080, 13306], udp: [5353] });
    expect(portsToProbe(scenario([]))).toEqual({ tcp: [22], udp: [] });
  });

  it(`probes every named port up to ${MAX_PROBED_PORTS}, and above that is an error naming the count and how to narrow`, () => {
    const named = Array.from({ length: MAX_PROBED_PORTS - 1 }, (_, i) => 8000 + i);
    expect(portsToProbe(scenario(named)).tcp).toHaveLength(MAX_PROBED_PORTS);
    const attempt = () => portsToProbe(scenario([...named, 9000]));
    expect(attempt).toThrow(expect.objectContaining({ code: 'TOO_MANY_PORTS' }));
    expect(attempt).toThrow(/web: 65 tcp ports .* the target \(1 services, 64 named by expectations, 0 mapped by NAT\).*narrow the expectations/);
  });

  it('NAT ports count towards the cap and belong to the target only, not to a host behind', () => {
    const nat = { tcp: Array.from({ length: MAX_PROBED_PORTS }, (_, i) => 20000 + i), udp: [] };
    expect(() => portsToProbe(scenario([]), undefined, nat)).toThrow(/64 mapped by NAT/);
    expect(portsToProbe(scenario([]), 'web', nat)).toEqual({ tcp: [], udp: [] });
  });
});
