/**
 * Input limits as a user meets them: an alias bomb in a scenario or in the policy it names, and lists past
 * the cap, are load errors naming the file, the field or line, and what to do; never INTERNAL.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejection } from '../model/rejection.test-helpers.ts';
import { PolicyFileError, ScenarioError } from '../model/errors.ts';
import { loadPolicyFile } from '../ruleset/policy-load.ts';
import { BILLION_LAUGHS } from '../source/hostile-yaml.test-helpers.ts';
import { loadScenario } from './load.ts';
import { normaliseScenario } from './normalise.ts';

async function write(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-limits-'));
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

function errorOf(promise: Promise<unknown>): Promise<Error> {
  return rejection(promise, Error);
}

describe('YAML alias bombs', () => {
  it('in a scenario: SCENARIO_YAML with the file, line and column', async () => {
    const file = await write('bomb.scenario.yaml', BILLION_LAUGHS);
    const error = await errorOf(loadScenario(file));
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).code).toBe('SCENARIO_YAML');
    expect(error.message).toContain(`${file}:7:8: YAML: aliases would expand this document by more than 100000 values`);
  });

  it('in a policy a scenario names: the field and the policy line', async () => {
    const scenario = await write('s.scenario.yaml', 'name: x\nruleset: { policy: bomb.yaml }\nparity: strict\nports: { tcp: [22] }\n');
    await writeFile(join(scenario, '../bomb.yaml'), BILLION_LAUGHS.replace('name: x', 'ipv6: block'));
    const error = await errorOf(loadScenario(scenario));
    expect((error as ScenarioError).code).toBe('SCENARIO_INVALID');
    expect(error.message).toMatch(/ruleset\.policy: Cannot load policy file \S*bomb\.yaml: line 7: YAML: aliases would expand/);
  });

  it('in a policy given to `fwprobe generate`: POLICY_FILE with the line', async () => {
    const file = await write('bomb.yaml', BILLION_LAUGHS);
    const error = await errorOf(loadPolicyFile(file));
    expect(error).toBeInstanceOf(PolicyFileError);
    expect(error.message).toContain(`Cannot load policy file ${file}: line 7: YAML: aliases would expand`);
  });
});

describe('list lengths', () => {
  const file = '/tmp/fwprobe-limits/x.scenario.yaml';

  it.each([
    ['an expectation list', { expect: { loopback: { both: { tcp: { open: Array(10_001).fill(22) } } } } }, 'expect.loopback.both.tcp.open'],
    ['ports', { ports: { tcp: Array(10_001).fill('1-10') } }, 'ports.tcp'],
    ['services', { services: Array(10_001).fill('22/tcp') }, 'services'],
    ['exposed', { expect: { exposed: Array(10_001).fill('22/tcp') } }, 'expect.exposed'],
  ])('%s of more than 10,000 items is one clear issue', async (_, input, field) => {
    const error = await errorOf(normaliseScenario({ name: 'n', ruleset: { none: true }, parity: 'strict', ...input }, { file }));
    expect((error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      `${field}: expected at most 10000 items (write consecutive ports as one range, like "1000-2000"), found 10001`,
    ]);
  });

  it('a file with hundreds of problems prints the first 50 and counts the rest', async () => {
    const open = Array.from({ length: 200 }, (_, i) => 70_000 + i);
    const error = await errorOf(normaliseScenario({ name: 'n', ruleset: { none: true }, expect: { loopback: { ipv4: { tcp: { open } } } } }, { file }));
    expect((error as ScenarioError).issues).toHaveLength(200);
    expect(error.message.split('\n')).toHaveLength(1 + 50 + 1);
    expect(error.message).toMatch(/\n {2}… and 150 more$/);
  });
});
