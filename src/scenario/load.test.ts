import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { loadScenario } from './load.ts';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/scenarios');

async function loadError(name: string): Promise<ScenarioError> {
  const file = join(FIXTURES, name);
  const error = await loadScenario(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  const scenarioError = error as ScenarioError;
  expect(scenarioError.file).toBe(file);
  expect(scenarioError.message).toContain(file);
  return scenarioError;
}

describe('loadScenario: bad input is reported with file, field, expectation and position', () => {
  it('YAML syntax error: line and column', async () => {
    const error = await loadError('bad-yaml-syntax.yaml');
    expect(error.code).toBe('SCENARIO_YAML');
    // The unclosed `{` on line 4 is detected where the next key starts.
    expect(error.message).toContain('bad-yaml-syntax.yaml:5:1: YAML syntax error: Flow map in block collection');
  });

  it('port out of range', async () => {
    const error = await loadError('bad-port-range.yaml');
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain('bad-port-range.yaml:9:20: expect.loopback.ipv6.tcp.open[1]: expected a port number 1-65535, found 70000');
  });

  it('duplicate services on overlapping families', async () => {
    const error = await loadError('bad-duplicate-service.yaml');
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain('bad-duplicate-service.yaml:4:5: services[1]: expected each port/protocol/family once, ' + 'found 22/tcp on ipv6 already declared by services[0]');
  });

  it('expectation for a vantage that is never scanned', async () => {
    const error = await loadError('bad-never-scanned.yaml');
    expect(error.message).toContain(
      'bad-never-scanned.yaml:9:3: expect.peer: expected expectations only for scanned vantages [loopback], ' + 'found expectations for peer, whose ports are never scanned',
    );
  });

  it('others on a protocol where nothing is scanned', async () => {
    const error = await loadError('bad-others-unscanned.yaml');
    expect(error.message).toContain('bad-others-unscanned.yaml:8:14: expect.loopback.ipv4.udp.others: expected udp ports to be scanned ' + 'for "others" to check, found no udp port');
  });

  it('conflicting lists, one of them via both', async () => {
    const error = await loadError('bad-conflict-both.yaml');
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain(
      'bad-conflict-both.yaml:8:43: expect.loopback.both.tcp.filtered[0]: expected loopback ipv6 tcp/53 in one list, ' + 'found it filtered here and open at expect.loopback.ipv6.tcp.open[0]',
    );
  });

  it('missing ruleset file: field and resolved path', async () => {
    const error = await loadError('bad-missing-ruleset-file.yaml');
    expect(error.code).toBe('SCENARIO_FILE_MISSING');
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain(`bad-missing-ruleset-file.yaml:6:3: ruleset.v6: expected a readable ruleset file, found no such file: ${join(FIXTURES, 'no-such-rules.v6')}`);
  });

  it('exposed without the peer vantage', async () => {
    const error = await loadError('bad-exposed-without-peer.yaml');
    expect(error.message).toContain('bad-exposed-without-peer.yaml:7:3: expect.exposed: expected a peer among the vantages');
    expect(error.message).toContain('found [loopback]');
  });

  it('unknown field', async () => {
    const error = await loadError('bad-unknown-field.yaml');
    expect(error.message).toContain('bad-unknown-field.yaml:8:26: expect.loopback.ipv4.tcp.opne: unknown field "opne": did you mean "open"?');
  });

  it('parity exception without why', async () => {
    const error = await loadError('bad-parity-no-why.yaml');
    expect(error.message).toContain('bad-parity-no-why.yaml:8:7: parity.exceptions[0].why: a reason (why) is required');
  });

  it('a file that does not exist', async () => {
    const error = await loadError('no-such.scenario.yaml');
    expect(error.code).toBe('SCENARIO_NOT_FOUND');
  });

  it('an extension that is not a scenario', async () => {
    const error = await loadError('rules.v4');
    expect(error.code).toBe('SCENARIO_UNSUPPORTED');
    expect(error.message).toContain('.scenario.yaml');
  });
});

describe('loadScenario: where its keys are, for reports that point into the file (SARIF)', () => {
  it('keeps the lines of name, ruleset, expect and parity of a YAML scenario, and none of a module', async () => {
    const root = resolve(import.meta.dirname, '../..');
    expect((await loadScenario(join(root, 'scenarios/ipv6-gap/v4-only.scenario.yaml'))).lines).toEqual({ name: 3, ruleset: 8, expect: 11, parity: 23 });
    expect((await loadScenario(join(root, 'scenarios/typed/full-sweep.scenario.ts'))).lines).toBeUndefined();
  });
});
