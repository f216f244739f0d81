/**
 * The engine start runs fwprobe's own script and nothing else: not a `bash` earlier on PATH (`npm test`
 * puts node_modules/.bin first, where any dependency may ship a `bash`), not a BASH_ENV file, not an
 * exported shell function named like a command the script calls. It may run as root. The script itself
 * looks after this machine's engine only.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCKER_UP, ensureDockerEngine, type Machine } from './docker-up.ts';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('the engine start runs only the project script', () => {
  it('ignores a bash on PATH, BASH_ENV and exported functions, and still runs the script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwprobe-docker-up-'));
    const mark = (name: string) => join(dir, name);
    const bin = join(dir, 'bin');
    // A dependency's bin named bash, first on PATH as under `npm test`.
    mkdirSync(bin);
    writeFileSync(join(bin, 'bash'), `#!/bin/sh\ntouch ${mark('fake-bash')}\nexit 3\n`);
    chmodSync(join(bin, 'bash'), 0o755);
    writeFileSync(join(dir, 'bashenv'), `touch ${mark('bash-env')}\n`);
    const script = join(dir, 'docker-up.sh');
    writeFileSync(script, `touch ${mark('script')}\nid -u >/dev/null\nexit 4\n`);
    process.env['PATH'] = `${bin}:${process.env['PATH'] ?? ''}`;
    process.env['BASH_ENV'] = join(dir, 'bashenv');
    process.env['BASH_FUNC_id%%'] = `() { touch ${mark('function')}; }`;
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/fwprobe-docker-up-script-test.sock';
    const machine = (): Machine => ({ engine: { source: 'local' }, optOut: false, root: true, debian: true, script });
    await expect(ensureDockerEngine({ start: true, log: () => {}, machine, ping: () => Promise.reject(new Error('connect ENOENT')) })).rejects.toMatchObject({
      code: 'DOCKER_UNAVAILABLE',
      message: expect.stringContaining('exited 4'),
    });
    expect({ script: existsSync(mark('script')), fakeBash: existsSync(mark('fake-bash')), bashEnv: existsSync(mark('bash-env')), fn: existsSync(mark('function')) }).toEqual({
      script: true,
      fakeBash: false,
      bashEnv: false,
      fn: false,
    });
  });

  it('looks after the local engine only, whatever DOCKER_HOST and DOCKER_CONTEXT say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwprobe-docker-up-local-'));
    const calls = join(dir, 'calls');
    // A docker CLI that answers and records how it was asked, and debootstrap present: nothing to install.
    for (const name of ['docker', 'debootstrap']) {
      writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} $*" >>${calls}\nexit 0\n`);
      chmodSync(join(dir, name), 0o755);
    }
    const out = spawnSync('/bin/bash', [DOCKER_UP], { env: { PATH: `${dir}:/usr/bin:/bin`, DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CONTEXT: 'build' }, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toBe('docker-up: DOCKER_HOST/DOCKER_CONTEXT is set: this script looks after the local engine (unix:///var/run/docker.sock) only\ndocker-up: Docker engine already answers\n');
    expect(readFileSync(calls, 'utf8')).toBe('docker -H unix:///var/run/docker.sock info\n');
  });
});
