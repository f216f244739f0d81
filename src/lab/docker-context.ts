/**
 * Which Docker engine the user meant. The docker CLI reads DOCKER_HOST, else a context (DOCKER_CONTEXT, else
 * `currentContext` in its config.json, set by `docker context use`); dockerode and testcontainers read only
 * DOCKER_HOST, so a user whose CLI points at another engine would silently get the local socket (or, on a
 * fresh machine, a local dockerd started for them). A context's endpoint is therefore turned into DOCKER_HOST
 * (and its TLS material into DOCKER_CERT_PATH) before the first client is made, the CLI's precedence kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DockerUnavailableError } from '../model/errors.ts';

/** The engine fwprobe talks to, and what chose it. */
export type EngineChoice =
  { source: 'local' } | { source: 'DOCKER_HOST'; host: string } | { source: 'context'; context: string; host: string; skipTlsVerify: boolean; via: 'DOCKER_CONTEXT' | 'config.json' };

const metaShape = z.object({ Endpoints: z.object({ docker: z.object({ Host: z.string().min(1), SkipTLSVerify: z.boolean().optional() }) }) });
const configShape = z.object({ currentContext: z.string().optional() }).loose();

/** The docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
}

/** The context in force, as the docker CLI decides it (DOCKER_HOST wins over any context); null for the local engine. */
function contextName(env: NodeJS.ProcessEnv, configDir: string): { name: string; via: 'DOCKER_CONTEXT' | 'config.json' } | null {
  const fromEnv = env['DOCKER_CONTEXT'];
  if (fromEnv) return fromEnv === 'default' ? null : { name: fromEnv, via: 'DOCKER_CONTEXT' };
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return null;
  // An unreadable config.json is the CLI's problem to report; for fwprobe it names no context.
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const name = configShape.safeParse(parsed).data?.currentContext;
  return name && name !== 'default' ? { name, via: 'config.json' } : null;
}

/**
 * The engine the user chose, without changing anything. A named context that does not exist, or whose
 * meta.json has no docker endpoint, is an error naming the file and what to do: falling back to the local
 * engine would scan on a machine the user did not pick.
 */
export function chooseEngine(env: NodeJS.ProcessEnv = process.env): EngineChoice {
  const host = env['DOCKER_HOST'];
  if (host) return { source: 'DOCKER_HOST', host };
  const configDir = dockerConfigDir(env);
  const named = contextName(env, configDir);
  if (!named) return { source: 'local' };
  const said = named.via === 'DOCKER_CONTEXT' ? `DOCKER_CONTEXT=${named.name}` : `the docker context "${named.name}" (currentContext in ${join(configDir, 'config.json')})`;
  // The CLI stores a context under the sha256 of its name.
  const file = join(configDir, 'contexts', 'meta', createHash('sha256').update(named.name).digest('hex'), 'meta.json');
  let meta: z.infer<typeof metaShape>;
  try {
    meta = metaShape.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const why = existsSync(file) ? `${file} has no docker endpoint (Endpoints.docker.Host)` : `no such context (${file} is missing)`;
    throw new DockerUnavailableError(`${said}: ${why}: \`docker context ls\` lists the contexts; pick one that exists, or \`docker context use default\` for the local engine.`, { cause: error });
  }
  return { source: 'context', context: named.name, host: meta.Endpoints.docker.Host, skipTlsVerify: meta.Endpoints.docker.SkipTLSVerify === true, via: named.via };
}

/**
 * Makes a context's endpoint the DOCKER_HOST that dockerode and testcontainers read (with its TLS
 * material, when the context has some and verifies it), and returns the choice.
 */
export function applyDockerContext(env: NodeJS.ProcessEnv = process.env): EngineChoice {
  const choice = chooseEngine(env);
  if (choice.source !== 'context') return choice;
  env['DOCKER_HOST'] = choice.host;
  const tls = join(dockerConfigDir(env), 'contexts', 'tls', createHash('sha256').update(choice.context).digest('hex'), 'docker');
  if (existsSync(join(tls, 'ca.pem')) || existsSync(join(tls, 'cert.pem'))) {
    env['DOCKER_CERT_PATH'] = tls;
    if (!choice.skipTlsVerify) env['DOCKER_TLS_VERIFY'] = '1';
  }
  return choice;
}

let applied: Extract<EngineChoice, { source: 'context' }> | undefined;

/**
 * This process's engine: a context applied to process.env once, before the first client, and remembered
 * (its DOCKER_HOST then reads as the context's, not as one the user set); DOCKER_HOST changed since is read anew.
 */
export function usedEngine(env: NodeJS.ProcessEnv = process.env): EngineChoice {
  if (applied && env['DOCKER_HOST'] === applied.host) return applied;
  const choice = applyDockerContext(env);
  if (choice.source === 'context') applied = choice;
  return choice;
}

/** One line saying which engine a run uses: the local one, DOCKER_HOST's, or a context's endpoint. */
export function engineText(choice: EngineChoice): string {
  if (choice.source === 'local') return 'the local Docker engine';
  if (choice.source === 'DOCKER_HOST') return `the Docker engine at DOCKER_HOST=${choice.host}`;
  const why = choice.via === 'DOCKER_CONTEXT' ? `DOCKER_CONTEXT=${choice.context}` : `docker context "${choice.context}"`;
  return `the Docker engine of ${why} (${choice.host})`;
}
