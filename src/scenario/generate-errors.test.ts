/**
 * A generator exception at load time is the user's SCENARIO_INVALID only when it is their policy or preset
 * mistake, with the field to fix; a bug in a renderer is fwprobe's, INTERNAL with its stack, never blamed
 * on the scenario.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InternalError, REPORT_BUG, ScenarioError } from '../model/errors.ts';
import { errorFields } from '../report/result.ts';
import { renderNft } from '../ruleset/render-nft.ts';
import { normaliseScenario } from './normalise.ts';

vi.mock('../ruleset/render-nft.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ruleset/render-nft.ts')>();
  return { ...actual, renderNft: vi.fn(actual.renderNft) };
});

let file: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-generate-errors-'));
  file = join(dir, 'x.scenario.yaml');
  await writeFile(join(dir, 'bad-port.yaml'), 'inbound:\n  - { port: 0, protocol: tcp }\n');
});

function load(ruleset: Record<string, unknown>): Promise<unknown> {
  return normaliseScenario({ name: 'n', ruleset, parity: 'strict', ports: { udp: [9] } }, { file }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('generator exceptions at load time', () => {
  it('loads when the generator works (the mock renders as the real renderer does)', async () => {
    expect(await load({ preset: 'book-2009' })).toBeNull();
  });

  it('is INTERNAL with the stack and a report line when a renderer has a bug', async () => {
    vi.mocked(renderNft).mockImplementationOnce(() => {
      const table = undefined as unknown as { chains: unknown[] };
      return String(table.chains.length);
    });
    const error = await load({ preset: 'book-2009' });
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ScenarioError);
    const fields = errorFields(error);
    expect(fields.errorCode).toBe('INTERNAL');
    expect(fields.error).toMatch(/^Internal error: TypeError: Cannot read properties of undefined \(reading 'chains'\)\n\s+at /);
    expect(fields.error).toContain(REPORT_BUG);
  });

  it("is INTERNAL when a renderer finds its own input broken (the renderer's InternalError passes through)", async () => {
    vi.mocked(renderNft).mockImplementationOnce(() => {
      throw new InternalError('book-2009: the nft renderer cannot translate --foo');
    });
    const error = await load({ preset: 'book-2009' });
    expect(error).toBeInstanceOf(InternalError);
    expect(errorFields(error)).toMatchObject({ errorCode: 'INTERNAL', error: expect.stringContaining('cannot translate --foo') });
  });

  it('is SCENARIO_INVALID naming the field for a bad policy or preset', async () => {
    const policy = await load({ policy: 'bad-port.yaml' });
    expect(policy).toBeInstanceOf(ScenarioError);
    expect(errorFields(policy).errorCode).toBe('SCENARIO_INVALID');
    expect((policy as ScenarioError).issues.map((i) => i.path.join('.'))).toEqual(['ruleset.policy']);
    expect((policy as ScenarioError).issues[0]!.message).toMatch(/inbound\[0\]\.port/);
    const preset = await load({ preset: 'book-2010' });
    expect((preset as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['ruleset.preset: Unknown preset "book-2010". Valid presets: book-2007, book-2009.']);
    expect(((await load({ preset: 'book-2009', params: { SSH: '22' } })) as ScenarioError).issues[0]!.path).toEqual(['ruleset', 'params']);
  });
});
