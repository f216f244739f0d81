/**
 * The GitHub workflow the README shows is the one the package ships (examples/github-workflow.yml, in
 * package.json `files`; packed-tarball.test.ts finds it in the tarball): one text, and it does what the
 * README says (validate, run, upload fwprobe.sarif to code scanning also when the run is red).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FILE = 'examples/github-workflow.yml';
const example = readFileSync(FILE, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

/** The yaml blocks of the README's "Code scanning on GitHub" section. */
function readmeBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('### Code scanning on GitHub (SARIF)');
  expect(start, 'the README has a "Code scanning on GitHub (SARIF)" section').toBeGreaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('the GitHub workflow example', () => {
  it('is the same text in the README and in examples/, which package.json ships', () => {
    expect(readmeBlocks()).toEqual([example]);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('examples/');
  });

  it('validates, runs, and uploads fwprobe.sarif with upload-sarif even when the run fails', () => {
    const workflow = parse(example) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const runs = steps.map((s) => s.run ?? '');
    const run = runs.findIndex((r) => /^npx fwprobe run /.test(r));
    expect(runs.findIndex((r) => /^npx fwprobe validate /.test(r))).toBeLessThan(run);
    const reportDir = /--report-dir (\S+)/.exec(runs[run]!)?.[1];
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.['sarif_file']).toBe(`${reportDir}/fwprobe.sarif`);
    expect(steps.indexOf(upload!)).toBeGreaterThan(run);
  });
});
