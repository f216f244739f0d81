/**
 * `delivered` in a scenario's expectations: a UDP list like the others (scanned, backed by clients, never in
 * two lists at once), refused under tcp with the field named and what to write instead.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import type { ExpectationSet } from '../model/scenario.ts';
import { normaliseScenario } from './normalise.ts';

let file: string;

beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'fwprobe-delivered-')), 'x.scenario.yaml');
});

// `parity: strict` written out: a refused list may leave no expectation, and only that one issue is wanted.
const base = { name: 'n', ruleset: { none: true }, parity: 'strict', ports: { udp: [9] } } as const;

function normalise(input: Record<string, unknown>) {
  return normaliseScenario({ ...base, ...input }, { file });
}

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normalise(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function set(partial: Partial<ExpectationSet> & Pick<ExpectationSet, 'vantage' | 'family' | 'protocol'>) {
  return { open: [], closed: [], filtered: [], unreachable: [], others: null, ...partial };
}

describe('normaliseScenario: delivered', () => {
  it('lists udp ports expected delivered, scans them, and keeps them apart from the other lists', async () => {
    const s = await normalise({ vantages: ['peer'], expect: { peer: { both: { udp: { delivered: [514, '160-161'], closed: [515] } } } } });
    expect(s.expectations).toEqual([
      set({ vantage: 'peer', family: 'ipv4', protocol: 'udp', closed: [515], delivered: [160, 161, 514] }),
      set({ vantage: 'peer', family: 'ipv6', protocol: 'udp', closed: [515], delivered: [160, 161, 514] }),
    ]);
    expect(s.scan.udp).toEqual({ kind: 'list', ports: [9, 160, 161, 514, 515] });
    expect(await issuesOf({ vantages: ['peer'], expect: { peer: { ipv4: { udp: { delivered: [514], open: [514] } } } } })).toEqual([
      'expect.peer.ipv4.udp.delivered.0: expected peer ipv4 udp/514 in one list, found it delivered here and open at expect.peer.ipv4.udp.open[0]: keep one',
    ]);
  });

  it('refuses delivered under tcp, naming the field and what to write instead', async () => {
    expect(await issuesOf({ vantages: ['peer'], expect: { peer: { both: { tcp: { delivered: [514] } } } } })).toEqual([
      'expect.peer.both.tcp.delivered: expected delivered only under udp (a datagram the listener receives, never answered), found it under tcp: ' +
        'a TCP port whose answer is dropped reads filtered, one that answers reads open; list the port as filtered or open, or move it to udp.delivered',
    ]);
  });
});
