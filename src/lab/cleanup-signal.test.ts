/**
 * The signal message is for a signal that interrupts work: vitest stops its idle workers with SIGTERM at
 * the end of every normal run, and that must not read as an interrupted run.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLEANUP = resolve(import.meta.dirname, 'cleanup.ts');

/** A process with fwprobe's signal handler and nothing to remove, sent SIGTERM once it is ready. */
function terminated(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const script = `const { installSignalCleanup } = await import(${JSON.stringify(CLEANUP)}); installSignalCleanup(); console.log('ready'); setInterval(() => {}, 1000);`;
  const vars = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    // A dead engine: the handler's sweep fails at once instead of touching a real one.
    env: { ...vars, DOCKER_HOST: 'unix:///nonexistent/fwprobe-signal-test.sock', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) child.kill('SIGTERM');
  });
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

describe("fwprobe's signal handler", () => {
  it('says nothing when vitest stops an idle worker, and still exits 143', async () => {
    const idle = await terminated({ VITEST_WORKER_ID: '1' });
    expect(idle.stderr).not.toContain('SIGTERM');
    expect(idle.code).toBe(143);
  }, 30_000);

  it('says so when a signal stops a run of the CLI', async () => {
    const cli = await terminated({});
    expect(cli.stderr).toContain("fwprobe: SIGTERM: removing this run's containers");
    expect(cli.code).toBe(143);
  }, 30_000);
});
