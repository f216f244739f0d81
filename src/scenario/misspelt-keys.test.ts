/**
 * A misspelt scenario key is answered with the key meant, at any depth the schema knows (the root, a
 * vantage's protocol, a list item, a ruleset form, a topology peer), read from the schema itself; a
 * key near nothing known keeps the plain advice.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';
import { scenarioInputSchema } from './schema.ts';
import { knownKeys } from '../source/schema-keys.ts';

const base = { name: 'n', ruleset: { none: true }, parity: 'strict', ports: { udp: [9] } } as const;

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normaliseScenario({ ...base, ...input }, { file: '/nowhere/x.scenario.yaml' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('did you mean, for scenario keys', () => {
  it('at the root', async () => {
    expect(await issuesOf({ expcet: { exposed: ['22/tcp'] } })).toEqual(['expcet: unknown field "expcet": did you mean "expect"? (fields are case-sensitive)']);
  });

  it('deep inside expect (a record of vantages, then a union of list and mapping)', async () => {
    expect(await issuesOf({ expect: { loopback: { both: { tcp: { opne: [22] } } } } })).toEqual([
      'expect.loopback.both.tcp.opne: unknown field "opne": did you mean "open"? (fields are case-sensitive)',
    ]);
  });

  it('in a list item, in a ruleset form and in parity', async () => {
    expect(await issuesOf({ services: [{ port: 22, protocol: 'tcp', bnid: 'any' }] })).toContain('services.0.bnid: unknown field "bnid": did you mean "bind"? (fields are case-sensitive)');
    expect(await issuesOf({ ruleset: { v4: 'rules.v4', v66: 'rules.v6' } })).toContain('ruleset.v66: unknown field "v66": did you mean "v6"? (fields are case-sensitive)');
    expect(await issuesOf({ parity: { mdoe: 'strict' } })).toContain('parity.mdoe: unknown field "mdoe": did you mean "mode"? (fields are case-sensitive)');
  });

  it("a ruleset whose only key is a slip of a form's key names that form's key", async () => {
    expect(await issuesOf({ ruleset: { nnft: 'rules.nft' } })).toEqual(['ruleset.nnft: unknown field "nnft": did you mean "nft"? (fields are case-sensitive)']);
    expect(await issuesOf({ ruleset: { ufw: 'etc-ufw', defualts: 'default-ufw' } })).toContain('ruleset.defualts: unknown field "defualts": did you mean "defaults"? (fields are case-sensitive)');
    // Near no form's key: the list of forms, as before.
    expect((await issuesOf({ ruleset: { firewall: 'x' } }))[0]).toMatch(/^ruleset: expected exactly one form/);
  });

  it('keeps the plain advice for a key near nothing known', async () => {
    expect(await issuesOf({ colour: 'red' })).toEqual(['colour: unknown field "colour": remove it or check its spelling (fields are case-sensitive)']);
  });
});

describe('knownKeys', () => {
  it('reads the fields at a path through records, unions, lists and wrappers', () => {
    expect(knownKeys(scenarioInputSchema, [])).toEqual(expect.arrayContaining(['name', 'services', 'ruleset', 'expect', 'parity']));
    expect(knownKeys(scenarioInputSchema, ['expect', 'peer', 'ipv6', 'udp'])).toEqual(['closed', 'delivered', 'filtered', 'open', 'others', 'unreachable']);
    expect(knownKeys(scenarioInputSchema, ['services', 0])).toEqual(['bind', 'families', 'port', 'protocol']);
    expect(knownKeys(scenarioInputSchema, ['name', 'x'])).toEqual([]);
  });
});
