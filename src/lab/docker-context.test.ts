/**
 * The engine the user chose, read as the docker CLI reads it: DOCKER_HOST, else DOCKER_CONTEXT, else the
 * config's currentContext; a context's endpoint (and TLS material) becomes what dockerode reads.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDockerContext, chooseEngine, engineText, usedEngine } from './docker-context.ts';

/** A docker config folder with the given contexts (name → endpoint), as `docker context create` writes it. */
function config(contexts: Record<string, { host: string; tls?: boolean; skipTlsVerify?: boolean }>, current?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-docker-config-'));
  for (const [name, c] of Object.entries(contexts)) {
    const hash = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', hash), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: c.host, SkipTLSVerify: c.skipTlsVerify ?? false } } }));
    if (c.tls) {
      mkdirSync(join(dir, 'contexts', 'tls', hash, 'docker'), { recursive: true });
      writeFileSync(join(dir, 'contexts', 'tls', hash, 'docker', 'ca.pem'), 'not a real certificate');
    }
  }
  if (current !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: {}, currentContext: current }));
  return dir;
}

describe('the Docker engine the user chose', () => {
  it('is the local one without DOCKER_HOST or a context, and with the context "default"', () => {
    const dir = config({});
    expect(chooseEngine({ DOCKER_CONFIG: dir })).toEqual({ source: 'local' });
    expect(chooseEngine({ DOCKER_CONFIG: config({}, 'default') })).toEqual({ source: 'local' });
    expect(chooseEngine({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'default' })).toEqual({ source: 'local' });
  });

  it("turns DOCKER_CONTEXT's endpoint into DOCKER_HOST, with its TLS material, and says which context it was", () => {
    const DOCKER_CONFIG = config({ lab: { host: 'tcp://10.0.0.5:2376', tls: true } });
    const env: NodeJS.ProcessEnv = { DOCKER_CONFIG, DOCKER_CONTEXT: 'lab' };
    const choice = applyDockerContext(env);
    expect(choice).toMatchObject({ source: 'context', context: 'lab', host: 'tcp://10.0.0.5:2376', via: 'DOCKER_CONTEXT' });
    expect(env).toMatchObject({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: expect.stringContaining(join(DOCKER_CONFIG, 'contexts', 'tls')) });
    expect(engineText(choice)).toBe('the Docker engine of DOCKER_CONTEXT=lab (tcp://10.0.0.5:2376)');
  });

  it('reads `docker context use` (currentContext in config.json), and DOCKER_CONTEXT over it', () => {
    const DOCKER_CONFIG = config({ remote: { host: 'ssh://ops@build' }, other: { host: 'unix:///run/other.sock' } }, 'remote');
    const env: NodeJS.ProcessEnv = { DOCKER_CONFIG };
    expect(applyDockerContext(env)).toMatchObject({ source: 'context', context: 'remote', via: 'config.json' });
    expect(env['DOCKER_HOST']).toBe('ssh://ops@build');
    expect(env['DOCKER_TLS_VERIFY']).toBeUndefined();
    expect(chooseEngine({ DOCKER_CONFIG, DOCKER_CONTEXT: 'other' })).toMatchObject({ context: 'other', host: 'unix:///run/other.sock' });
  });

  it('keeps DOCKER_HOST over any context, as the docker CLI does', () => {
    const DOCKER_CONFIG = config({ remote: { host: 'ssh://ops@build' } }, 'remote');
    const env: NodeJS.ProcessEnv = { DOCKER_CONFIG, DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///srv/docker.sock' };
    expect(applyDockerContext(env)).toEqual({ source: 'DOCKER_HOST', host: 'unix:///srv/docker.sock' });
    expect(env['DOCKER_HOST']).toBe('unix:///srv/docker.sock');
  });

  it('refuses a context that does not exist, naming the file and what to do, rather than using the local engine', () => {
    const DOCKER_CONFIG = config({});
    expect(() => chooseEngine({ DOCKER_CONFIG, DOCKER_CONTEXT: 'gone' })).toThrow(
      expect.objectContaining({ code: 'DOCKER_UNAVAILABLE', message: expect.stringMatching(/^DOCKER_CONTEXT=gone: no such context \(.*meta\.json is missing\): `docker context ls` lists/) }),
    );
    expect(() => chooseEngine({ DOCKER_CONFIG: config({}, 'gone') })).toThrow(/the docker context "gone" \(currentContext in .*config\.json\): no such context/);
  });

  it('remembers the applied context, and reads a DOCKER_HOST set since anew', () => {
    const env: NodeJS.ProcessEnv = { DOCKER_CONFIG: config({ lab: { host: 'tcp://10.0.0.6:2375' } }), DOCKER_CONTEXT: 'lab' };
    expect(usedEngine(env)).toMatchObject({ source: 'context', context: 'lab' });
    expect(usedEngine(env)).toMatchObject({ source: 'context', context: 'lab' });
    env['DOCKER_HOST'] = 'unix:///srv/docker.sock';
    expect(usedEngine(env)).toEqual({ source: 'DOCKER_HOST', host: 'unix:///srv/docker.sock' });
  });
});
