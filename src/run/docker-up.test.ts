/** Who may start a Docker engine, and the one sentence everyone else reads. */
import { describe, expect, it } from 'vitest';
import { DOCKER_UP, enginePlan, ensureDockerEngine, type Machine } from './docker-up.ts';

const fresh: Machine = { dockerHost: undefined, optOut: false, root: true, debian: true, script: DOCKER_UP };

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
      enginePlan({ ...fresh, dockerHost: 'tcp://10.0.0.5:2375' }),
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
});
