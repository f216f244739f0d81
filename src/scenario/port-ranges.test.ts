/**
 * Port ranges stay ranges while a scenario is normalised: 2,000 items of "2-65535" are merged first and
 * expanded once (they took over two minutes and 340 MB, port by port). Asserted on the work done, through
 * the one expansion helper, not on time alone.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortRange } from '../model/ports.ts';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';

const expanded = vi.hoisted(() => ({ calls: [] as PortRange[][] }));

vi.mock('../model/ports.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../model/ports.ts')>();
  return {
    ...original,
    expandRanges: (ranges: readonly PortRange[]) => {
      expanded.calls.push(ranges.map((r) => ({ ...r })));
      return original.expandRanges(ranges);
    },
  };
});

const file = '/tmp/fwprobe-port-ranges/x.scenario.yaml';
const MANY = 2000;

function many<T>(item: T): T[] {
  return Array.from({ length: MANY }, () => item);
}

/** Every expansion was of merged ranges, and all of them together stayed within `maxSets` × 65,535 ports. */
function expectBoundedExpansion(maxSets: number): void {
  expect(expanded.calls.length).toBeGreaterThan(0);
  for (const ranges of expanded.calls) {
    ranges.forEach((range, i) => {
      expect(range.from).toBeLessThanOrEqual(range.to);
      if (i > 0) expect(range.from).toBeGreaterThan(ranges[i - 1]!.to + 1);
    });
  }
  const ports = expanded.calls.flat().reduce((sum, r) => sum + r.to - r.from + 1, 0);
  expect(ports).toBeLessThanOrEqual(maxSets * 65_535);
}

async function timed<T>(run: () => Promise<T>): Promise<T> {
  // CPU time, not the clock, which a full run on two cores stretches tenfold.
  const started = process.cpuUsage();
  const result = await run();
  // Generous: the point is minutes before, well under a second now.
  const { user, system } = process.cpuUsage(started);
  expect((user + system) / 1000).toBeLessThan(10_000);
  return result;
}

beforeEach(() => {
  expanded.calls.length = 0;
});

describe(`${MANY} items of "2-65535"`, () => {
  it('in an expectation list (both families): one expansion per list and per scan', async () => {
    const s = await timed(() => normaliseScenario({ name: 'n', ruleset: { none: true }, expect: { loopback: { both: { tcp: { open: many('2-65535') } } } } }, { file }));
    expect(s.expectations.map((e) => [e.family, e.open.length])).toEqual([
      ['ipv4', 65_534],
      ['ipv6', 65_534],
    ]);
    expect(s.scan.tcp).toMatchObject({ kind: 'list', ports: { length: 65_534 } });
    // 2 sets × 4 lists (three of them empty), and the scan of each protocol.
    expectBoundedExpansion(4);
  }, 20_000);

  it('in `exposed`', async () => {
    const s = await timed(() => normaliseScenario({ name: 'n', ruleset: { none: true }, expect: { exposed: many('2-65535/tcp') } }, { file }));
    expect(s.expectations.filter((e) => e.protocol === 'tcp').map((e) => e.open.length)).toEqual([65_534, 65_534]);
    expectBoundedExpansion(4);
  }, 20_000);

  it('in `ports`', async () => {
    const s = await timed(() => normaliseScenario({ name: 'n', ruleset: { none: true }, parity: 'strict', ports: { tcp: many('2-65535') } }, { file }));
    expect(s.scan.tcp.ports).toHaveLength(65_534);
    expectBoundedExpansion(2);
  }, 20_000);

  it('as parity exceptions: one exception per port, the first reason kept', async () => {
    const exceptions = [{ port: '2-65535/tcp', why: 'first' }, ...many({ port: '2-65535/tcp', why: 'later' })];
    const s = await timed(() => normaliseScenario({ name: 'n', ruleset: { none: true }, ports: { tcp: 'all' }, parity: { mode: 'strict', exceptions } }, { file }));
    expect(s.parity.exceptions).toHaveLength(65_534);
    expect(new Set(s.parity.exceptions.map((e) => e.why))).toEqual(new Set(['first']));
  }, 20_000);

  it('as services: the repeats are duplicates, each reported once, found range against range', async () => {
    const error = await timed(() => normaliseScenario({ name: 'n', ruleset: { none: true }, parity: 'strict', services: many('2-65535/tcp') }, { file }).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ScenarioError);
    const issues = (error as ScenarioError).issues;
    expect(issues).toHaveLength(MANY - 1);
    expect(issues[0]?.message).toBe('expected each port/protocol/family once, found 2/tcp on ipv4 and ipv6 already declared by services[0]: ' + 'remove one, or give them disjoint families');
  }, 20_000);
});

describe('a clash between lists names the ports the two items share', () => {
  it('open 1-100 and closed 50-60: one issue for 50-60, not eleven', async () => {
    const error = (await normaliseScenario({ name: 'n', ruleset: { none: true }, expect: { loopback: { ipv4: { tcp: { open: ['1-100'], closed: ['50-60'] } } } } }, { file }).catch(
      (e: unknown) => e,
    )) as ScenarioError;
    expect(error.issues.map((i) => i.message)).toEqual(['expected loopback ipv4 tcp/50-60 in one list, found it closed here and open at expect.loopback.ipv4.tcp.open[0]: keep one']);
  });
});
