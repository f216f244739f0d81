/**
 * A run killed before its own cleanup finished (vitest kills its workers right after a Ctrl-C) leaves
 * nothing behind: the reaper it started outlives it and removes the run's containers.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { getDocker } from './docker.ts';

const HERE = import.meta.dirname;

describe('the reaper', () => {
  it("removes a killed run's labelled container after the run is gone", async () => {
    const image = inject('fwprobeImage');
    // The child labels a container as a run does, starts the reaper, and dies by SIGKILL (no handler runs).
    // Its host label is not this machine's, so no other run's sweep of dead pids can remove it for the reaper.
    const script = [
      `const { runLabels, RUN_ID } = await import(${JSON.stringify(resolve(HERE, 'cleanup.ts'))});`,
      `const { startReaper } = await import(${JSON.stringify(resolve(HERE, 'reaper.ts'))});`,
      `const { getDocker } = await import(${JSON.stringify(resolve(HERE, 'docker.ts'))});`,
      `const c = await getDocker().createContainer({ Image: ${JSON.stringify(image)}, Cmd: ['sleep', '600'], Labels: { ...runLabels(), 'fwprobe.host': 'reaper-test' } });`,
      'await c.start();',
      'startReaper(RUN_ID);',
      'console.log(c.id);',
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const signal = await new Promise((done) => child.on('exit', (_code, sig) => done(sig)));
    expect(signal).toBe('SIGKILL');
    const id = out.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const gone = async () =>
      getDocker()
        .getContainer(id)
        .inspect()
        .then(
          () => false,
          () => true,
        );
    const deadline = Date.now() + 30_000;
    while (!(await gone()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const removed = await gone();
    if (!removed) await getDocker().getContainer(id).remove({ force: true });
    expect(removed, 'the container outlived its killed run by 30 s').toBe(true);
  }, 60_000);
});
