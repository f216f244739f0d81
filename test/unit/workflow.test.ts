/**
 * The GitHub Actions workflow in .github/workflows/fwprobe.yml is code no local run executes: this reads
 * it with the yaml package and checks that it parses and does what the README says (shards run the
 * scenarios and upload reports/, one job merges them, appends the summary, uploads reports/).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

const workflow = parse(readFileSync('.github/workflows/fwprobe.yml', 'utf8')) as Workflow;
const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');
const uses = (job: string) => workflow.jobs[job]!.steps.map((s) => s.uses ?? '');

describe('.github/workflows/fwprobe.yml', () => {
  it('runs on pushes and pull requests', () => {
    expect(Object.keys(workflow.on as object)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('each shard installs, builds the image, runs its slice of the scenarios and uploads its reports/', () => {
    const job = workflow.jobs['scenarios']!;
    const shards = job.strategy!.matrix.shard;
    expect(shards.length).toBeGreaterThan(1);
    expect(uses('scenarios')).toEqual(expect.arrayContaining(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']));
    expect(runs('scenarios')).toMatch(/npm ci/);
    expect(runs('scenarios')).toMatch(/scripts\/build-image\.ts/);
    const test = job.steps.find((s) => s.run?.includes('vitest run'))!;
    expect(test.run).toBe(`npx vitest run --shard=\${{ matrix.shard }}/${shards.length}`);
    expect(test.env?.['FWPROBE_REPORT_DIR']).toBe('reports/shard-${{ matrix.shard }}');
    const upload = job.steps.find((s) => s.uses === 'actions/upload-artifact@v4')!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.['path']).toBe('reports/');
  });

  it('one job merges every shard, appends the summary once and uploads reports/, also after a red shard', () => {
    const job = workflow.jobs['report']!;
    expect(job.needs).toBe('scenarios');
    expect(job.if).toBe('always()');
    const shards = workflow.jobs['scenarios']!.strategy!.matrix.shard;
    const merge = job.steps.find((s) => s.run?.includes('fwprobe merge-reports'))!;
    expect(merge.run).toBe(`env -u GITHUB_STEP_SUMMARY npx fwprobe merge-reports --out reports/merged ${shards.map((n) => `reports/shard-${n}`).join(' ')}`);
    const appends = job.steps.filter((s) => s.run?.includes('>> "$GITHUB_STEP_SUMMARY"'));
    expect(appends.map((s) => s.run)).toEqual(['cat reports/merged/summary.md >> "$GITHUB_STEP_SUMMARY"']);
    const upload = job.steps.filter((s) => s.uses === 'actions/upload-artifact@v4').at(-1)!;
    expect(upload.with?.['path']).toBe('reports/');
  });
});
