import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverScenarioFiles } from './discover.ts';
import { ScenarioError } from '../model/errors.ts';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchemaText } from './json-schema.ts';
import { loadScenario } from './load.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/scenarios');

describe('loadScenario: .scenario.ts modules', () => {
  it('validates the default export and resolves paths against the module', async () => {
    const s = await loadScenario(join(FIXTURES, 'typed.scenario.ts'));
    expect(s.name).toBe('typed scenario');
    expect(s.services).toEqual([
      { protocol: 'tcp', port: 22, bind: 'any' },
      { protocol: 'udp', port: 53, bind: 'any6' },
    ]);
    expect(s.ruleset).toMatchObject({ kind: 'restore', v4: { path: join(FIXTURES, 'rules.v4') }, v6: null });
    expect(s.parity.mode).toBe('strict');
    expect(s.expectations.map((e) => `${e.family} ${e.others}`)).toEqual(['ipv4 filtered', 'ipv6 filtered']);
  });

  it('a module without a default export is SCENARIO_IMPORT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-ts-'));
    const file = join(dir, 'nodefault.scenario.ts');
    await writeFile(file, 'export const scenario = { name: "x" };\n');
    const error = (await loadScenario(file).catch((e: unknown) => e)) as ScenarioError;
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.code).toBe('SCENARIO_IMPORT');
    expect(error.message).toContain('has no default export');
  });

  it('an invalid default export reports field paths without positions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-ts-'));
    const file = join(dir, 'bad.scenario.ts');
    await writeFile(file, 'export default { name: "x", ruleset: { none: true }, backend: "ipfw" };\n');
    const error = (await loadScenario(file).catch((e: unknown) => e)) as ScenarioError;
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain(`${file}: backend: invalid option: expected one of "nft"|"legacy", found "ipfw"`);
  });
});

describe('discoverScenarioFiles', () => {
  it('walks directories for *.scenario.{yaml,yml,ts} only, sorted, and keeps explicit files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fwprobe-discover-'));
    await mkdir(join(dir, 'b/nested'), { recursive: true });
    await mkdir(join(dir, 'node_modules/x'), { recursive: true });
    const files = ['b/z.scenario.yaml', 'b/nested/a.scenario.yml', 'a.scenario.ts', 'b/policy.yaml', 'b/rules.v4', 'b/firewall.sh', 'node_modules/x/y.scenario.yaml', 'explicit.yaml'];
    for (const f of files) await writeFile(join(dir, f), '');
    const found = await discoverScenarioFiles([dir, join(dir, 'explicit.yaml'), join(dir, 'a.scenario.ts')]);
    expect(found).toEqual(['a.scenario.ts', 'b/nested/a.scenario.yml', 'b/z.scenario.yaml', 'explicit.yaml'].map((f) => join(dir, f)));
  });

  it('a path that does not exist is SCENARIO_NOT_FOUND', async () => {
    const error = (await discoverScenarioFiles(['/nonexistent/fwprobe']).catch((e: unknown) => e)) as ScenarioError;
    expect(error.code).toBe('SCENARIO_NOT_FOUND');
    expect(error.message).toContain('/nonexistent/fwprobe');
  });
});

describe('scenario JSON Schema', () => {
  it('the checked-in schema/scenario.json matches the zod schema (regenerate: node --import tsx src/scenario/write-json-schema.ts)', async () => {
    const checkedIn = await readFile(join(ROOT, SCENARIO_JSON_SCHEMA_PATH), 'utf8');
    expect(checkedIn).toBe(scenarioJsonSchemaText());
  });

  it('is strict: additionalProperties false at the top', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as { additionalProperties: unknown; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'ruleset']);
  });
});
