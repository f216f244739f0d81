/** Who may start a Docker engine, and the one sentence everyone else reads. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_UP, enginePlan, ensureDockerEngine, thisMachine, type Machine } from './docker-up.ts';

const fresh: Machine = { engine: { source: 'local' }, optOut: false, root: true, debian: true, script: DOCKER_UP };
const answers = () => Promise.resolve();
const refused = () => Promise.reject(new Error('connect ENOENT'));
const remote: Machine['engine'] = { source: 'context', context: 'build', host: 'ssh://ops@build', skipTlsVerify: false, via: 'DOCKER_CONTEXT' };

describe('bringing a Docker engine up', () => {
  it('starts one with scripts/docker-up.sh as root on Debian/Ubuntu', () => {
    expect(enginePlan(fresh)).toEqual({ start: DOCKER_UP });
  });

  it('otherwise says the one command to run, in one sentence', () => {
    const plans = [
      enginePlan({ ...fresh, root: false }),
      enginePlan({ ...fresh, optOut: true }),
      enginePlan({ ...fresh, script: null }),
      enginePlan({ ...fresh, debian: false }),
      enginePlan({ ...fresh, engine: { source: 'DOCKER_HOST', host: 'tcp://10.0.0.5:2375' } }),
      enginePlan({ ...fresh, engine: remote }),
      enginePlan({ ...fresh, engine: { ...remote, via: 'config.json' } }),
    ];
    for (const plan of plans) {
      expect(plan).not.toHaveProperty('start');
      const advice = (plan as { advice: string }).advice;
      expect(advice).toMatch(/^No Docker engine answers/);
      expect(advice.split(/\.\s/)).toHaveLength(1);
    }
    expect(plans.map((p) => (p as { advice: string }).advice)).toEqual([
      'No Docker engine answers: run `sudo bash scripts/docker-up.sh` (it installs and starts Docker), then run this again.',
      'No Docker engine answers: run `sudo bash scripts/docker-up.sh` (it installs and starts Docker), then run this again.',
      'No Docker engine answers: run `sudo apt-get install -y docker.io && sudo systemctl start docker`, then run this again.',
      'No Docker engine answers: start Docker (Docker Desktop, or `sudo systemctl start docker`), or point DOCKER_HOST at an engine, then run this again.',
      'No Docker engine answers at DOCKER_HOST=tcp://10.0.0.5:2375: start that engine, or unset DOCKER_HOST to use the local one.',
      'No Docker engine answers at DOCKER_CONTEXT=build (ssh://ops@build): start that engine, or unset DOCKER_CONTEXT to use the local one.',
      'No Docker engine answers at docker context "build" (ssh://ops@build): start that engine, or `docker context use default` to use the local one.',
    ]);
  });

  it('starts nothing unless the command may start an engine', async () => {
    const logged: string[] = [];
    const dockerHost = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/fwprobe-docker-up-test.sock';
    try {
      // This machine as a fresh root Debian one: without start, still only the sentence.
      const failure = ensureDockerEngine({ log: (line) => logged.push(line), machine: () => fresh });
      await expect(failure).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: expect.stringContaining('sudo bash scripts/docker-up.sh') });
      expect(logged).toEqual([]);
    } finally {
      if (dockerHost === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = dockerHost;
    }
  });

  it('never runs the script for an engine the user named, and fails with the sentence', async () => {
    const dockerHost = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/fwprobe-docker-up-test.sock';
    try {
      const logged: string[] = [];
      const failure = ensureDockerEngine({ start: true, log: (line) => logged.push(line) });
      await expect(failure).rejects.toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: expect.stringContaining('DOCKER_HOST=unix:///nonexistent/fwprobe-docker-up-test.sock') });
      expect(logged).toEqual([]);
    } finally {
      if (dockerHost === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = dockerHost;
    }
  });

  it('never installs or starts a local dockerd when DOCKER_CONTEXT points elsewhere, and names the context', async () => {
    const saved = { DOCKER_HOST: process.env['DOCKER_HOST'], DOCKER_CONTEXT: process.env['DOCKER_CONTEXT'], DOCKER_CONFIG: process.env['DOCKER_CONFIG'] };
    // A context whose engine is a socket that does not exist, on this machine as a fresh root Debian one.
    const dir = mkdtempSync(join(tmpdir(), 'fwprobe-docker-up-context-'));
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update('elsewhere').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'elsewhere', Endpoints: { docker: { Host: 'unix:///nonexistent/fwprobe-context.sock' } } }));
    delete process.env['DOCKER_HOST'];
    process.env['DOCKER_CONTEXT'] = 'elsewhere';
    process.env['DOCKER_CONFIG'] = dir;
    try {
      const logged: string[] = [];
      const machine = () => ({ ...thisMachine(), root: true, debian: true, script: DOCKER_UP, optOut: false });
      const failure = ensureDockerEngine({ start: true, log: (line) => logged.push(line), machine, ping: refused });
      await expect(failure).rejects.toMatchObject({
        code: 'DOCKER_UNAVAILABLE',
        message: 'No Docker engine answers at DOCKER_CONTEXT=elsewhere (unix:///nonexistent/fwprobe-context.sock): start that engine, or unset DOCKER_CONTEXT to use the local one.',
      });
      expect(logged).toEqual([]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('says which engine it used when the user pointed elsewhere, once', async () => {
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    const machine = (): Machine => ({ ...fresh, engine: { source: 'DOCKER_HOST', host: 'unix:///var/run/docker.sock' } });
    await ensureDockerEngine({ start: true, log, machine, ping: answers });
    await ensureDockerEngine({ start: true, log, machine, ping: answers });
    expect(logged).toEqual(['fwprobe: using the Docker engine at DOCKER_HOST=unix:///var/run/docker.sock']);
  });
});
