import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-nft-form-'));
  file = join(dir, 'x.scenario.yaml');
  await writeFile(join(dir, 'main.nft'), 'table inet filter {\n}\n');
  await writeFile(join(dir, 'rules.v4'), '*filter\nCOMMIT\n');
  await writeFile(join(dir, 'include.nft'), '# shared rules\ntable inet a {\n}\ninclude "/etc/passwd"\n');
  await writeFile(join(dir, 'inline-include.nft'), 'table inet a { chain c { } }; include "other.nft"\n');
  await writeFile(join(dir, 'empty.nft'), '# nothing but a comment\n\n   \n');
});

const base = { name: 'n', expect: { loopback: { ipv4: { tcp: { open: [22] } } } } };
const normalise = (ruleset: unknown, extra: Record<string, unknown> = {}) => normaliseScenario({ ...base, ruleset, ...extra }, { file });

async function issuesOf(ruleset: unknown, extra: Record<string, unknown> = {}): Promise<string[]> {
  const error = await normalise(ruleset, extra).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('ruleset { nft }', () => {
  it('reads the file beside the scenario', async () => {
    const s = await normalise({ nft: 'main.nft' });
    expect(s.ruleset).toEqual({ kind: 'nft', nft: { path: join(dir, 'main.nft'), text: 'table inet filter {\n}\n' } });
  });

  it('refuses a path outside the folder unless paths.allowOutside', async () => {
    const error = await normalise({ nft: '../elsewhere.nft' }).catch((e: unknown) => e as ScenarioError);
    expect((error as ScenarioError).code).toBe('SCENARIO_PATH_OUTSIDE');
  });

  it('refuses include (on its own line or after a statement), naming the line, never quoting the file', async () => {
    const [issue] = await issuesOf({ nft: 'include.nft' });
    expect(issue).toMatch(/^ruleset\.nft: include\.nft:4: `include` is not supported/);
    expect(issue).not.toContain('/etc/passwd');
    expect((await issuesOf({ nft: 'inline-include.nft' }))[0]).toMatch(/^ruleset\.nft: inline-include\.nft:1: `include`/);
  });

  it('refuses a file with no statements', async () => {
    expect(await issuesOf({ nft: 'empty.nft' })).toEqual([expect.stringMatching(/^ruleset\.nft: empty\.nft: the nftables file has no statements .*ruleset: \{ none: true \}/)]);
  });

  it('refuses backend: legacy with an nftables file, alone or in a layer', async () => {
    expect(await issuesOf({ nft: 'main.nft' }, { backend: 'legacy' })).toEqual([expect.stringMatching(/^ruleset\.nft: an nftables file needs the nft backend, found `backend: legacy`/)]);
    expect(await issuesOf([{ v4: 'rules.v4' }, { nft: 'main.nft' }], { backend: 'legacy' })).toEqual([expect.stringMatching(/^ruleset\.1\.nft: an nftables file needs the nft backend/)]);
    // A restore file is fine under the legacy backend.
    expect(await normalise({ v4: 'rules.v4' }, { backend: 'legacy' })).toMatchObject({ backend: 'legacy', ruleset: { kind: 'restore', v4: { text: '*filter\nCOMMIT\n' }, v6: null } });
  });
});

describe('ruleset layers', () => {
  it('keeps the order written, each layer read as its own form', async () => {
    const s = await normalise([{ v4: 'rules.v4' }, { nft: 'main.nft' }, { preset: 'book-2009' }]);
    expect(s.ruleset.kind).toBe('layers');
    const layers = s.ruleset.kind === 'layers' ? s.ruleset.layers : [];
    expect(layers.map((l) => l.kind)).toEqual(['restore', 'nft', 'generate']);
    // A generated layer is generated at load time, like the form on its own.
    expect(layers[2]?.kind === 'generate' && layers[2].generated?.v4.text).toContain('*filter');
  });

  it('names the layer of a problem, and refuses none and single-item lists', async () => {
    expect(await issuesOf([{ v4: 'rules.v4' }, { nft: 5 }])).toEqual(['ruleset.1.nft: expected string, found 5']);
    expect(await issuesOf([{ nft: 'main.nft' }, { nft: 'empty.nft' }])).toEqual([expect.stringMatching(/^ruleset\.1\.nft: empty\.nft: the nftables file has no statements/)]);
    expect((await issuesOf([{ nft: 'main.nft' }]))[0]).toMatch(/^ruleset: .*at least two/);
    expect((await issuesOf([{ none: true }, { nft: 'main.nft' }]))[0]).toMatch(/^ruleset/);
    const missing = await normalise([{ v4: 'rules.v4' }, { nft: 'nope.nft' }]).catch((e: unknown) => e as ScenarioError);
    expect((missing as ScenarioError).code).toBe('SCENARIO_FILE_MISSING');
    expect((missing as ScenarioError).message).toContain('ruleset[1].nft: expected a readable ruleset file');
  });
});
