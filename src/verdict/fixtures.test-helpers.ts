/** Builders for hand-made observations and scenarios in verdict tests. */
import { defaultTopology } from '../model/topology.ts';
import type { Family, Observation, PortState, Protocol, Vantage } from '../model/observation.ts';
import type { ObservedSummary } from '../scan/types.ts';
import { DEFAULT_SOURCES, type ExpectationSet, type Scenario } from '../model/scenario.ts';
import type { Coverage } from './types.ts';

export function obs(vantage: Vantage, family: Family, protocol: Protocol, port: number, state: PortState, reason: string): Observation {
  return { vantage, family, protocol, port, state, reason };
}

export function summary(vantage: Vantage, family: Family, protocol: Protocol, state: PortState, reason: string, count: number, ports: string | null = null): ObservedSummary {
  return { vantage, family, protocol, state, reason, count, ports };
}

export function expectation(partial: Partial<ExpectationSet> & Pick<ExpectationSet, 'vantage' | 'family' | 'protocol'>): ExpectationSet {
  return { open: [], closed: [], filtered: [], unreachable: [], others: null, ...partial };
}

export function scenario(expectations: ExpectationSet[], parity: Partial<Scenario['parity']> = {}): Scenario {
  return {
    name: 't',
    description: '',
    file: '/t.scenario.yaml',
    services: [],
    ruleset: { kind: 'none' },
    backend: 'nft',
    vantages: ['loopback', 'peer'],
    scan: { tcp: { kind: 'list', ports: [] }, udp: { kind: 'list', ports: [] } },
    expectations,
    parity: { mode: 'report', exceptions: [], ...parity },
    sources: DEFAULT_SOURCES,
    topology: defaultTopology(DEFAULT_SOURCES),
  };
}

/** Nothing the run could not cover: the verdict rests on the observations alone. */
export const covered: Coverage = { unverified: [] };
