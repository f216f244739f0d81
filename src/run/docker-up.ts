/**
 * The first minute on a fresh machine: when no Docker engine answers, `npm run demo` and `npm test` bring
 * one up themselves where they can (root on Debian/Ubuntu, with the project's own scripts/docker-up.sh,
 * which installs docker.io and starts dockerd), and otherwise say in one sentence the one command to run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { engineText, usedEngine, type EngineChoice } from '../lab/docker-context.ts';
import { assertDockerAvailable } from '../lab/docker.ts';
import { DockerUnavailableError } from '../model/errors.ts';

/** The script that installs and starts Docker, where a checkout of fwprobe has it (npm packages do not). */
export const DOCKER_UP = resolve(import.meta.dirname, '../../scripts/docker-up.sh');

/** What decides whether fwprobe may start an engine itself. */
export interface Machine {
  /** The engine the user chose: one named by DOCKER_HOST or a docker context is theirs to start, never a local dockerd. */
  engine: EngineChoice;
  /** FWPROBE_DOCKER_UP=0 turns the start off. */
  optOut: boolean;
  root: boolean;
  /** /etc/debian_version exists (Debian and Ubuntu): apt installs docker.io. */
  debian: boolean;
  /** scripts/docker-up.sh, when it is there. */
  script: string | null;
}

export type EnginePlan = { start: string } | { advice: string };

export function thisMachine(): Machine {
  return {
    engine: usedEngine(),
    optOut: process.env['FWPROBE_DOCKER_UP'] === '0',
    root: process.getuid?.() === 0,
    debian: process.platform === 'linux' && existsSync('/etc/debian_version'),
    script: existsSync(DOCKER_UP) ? DOCKER_UP : null,
  };
}

/** Start the engine with the script, or the one sentence that says what to run. */
export function enginePlan(m: Machine): EnginePlan {
  const script = m.script ? relative(process.cwd(), m.script) || m.script : null;
  if (m.engine.source === 'DOCKER_HOST') return { advice: `No Docker engine answers at DOCKER_HOST=${m.engine.host}: start that engine, or unset DOCKER_HOST to use the local one.` };
  if (m.engine.source === 'context') {
    const back = m.engine.via === 'DOCKER_CONTEXT' ? 'unset DOCKER_CONTEXT' : '`docker context use default`';
    return { advice: `No Docker engine answers at ${engineText(m.engine).replace('the Docker engine of ', '')}: start that engine, or ${back} to use the local one.` };
  }
  if (m.debian && script && m.root && !m.optOut) return { start: m.script! };
  if (m.debian && script) return { advice: `No Docker engine answers: run \`sudo bash ${script}\` (it installs and starts Docker), then run this again.` };
  if (m.debian) return { advice: 'No Docker engine answers: run `sudo apt-get install -y docker.io && sudo systemctl start docker`, then run this again.' };
  return { advice: 'No Docker engine answers: start Docker (Docker Desktop, or `sudo systemctl start docker`), or point DOCKER_HOST at an engine, then run this again.' };
}

export interface EnsureOptions {
  /** Whether this command may start an engine (run, demo, the test entry), or only say what to run. @default false */
  start?: boolean;
  /** Where the start is announced. @default stderr */
  log?: (line: string) => void;
  /** @default this machine */
  machine?: () => Machine;
  /** Whether an engine answers (throws when none does). @default assertDockerAvailable */
  ping?: () => Promise<void>;
}

const announced = new Set<string>();

/**
 * Returns once an engine answers: at once when one does; after scripts/docker-up.sh when fwprobe may start
 * one; else a DockerUnavailableError whose message is the one command to run.
 */
export async function ensureDockerEngine(options: EnsureOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ping = options.ping ?? assertDockerAvailable;
  try {
    await ping();
    // An engine the user pointed at elsewhere is said once: scans then run on that machine, not this one.
    const engine = (options.machine ?? thisMachine)().engine;
    const said = engineText(engine);
    if (engine.source !== 'local' && !announced.has(said)) log(`fwprobe: using ${said}`);
    announced.add(said);
    return;
  } catch (error) {
    const machine = (options.machine ?? thisMachine)();
    const plan = enginePlan(options.start ? machine : { ...machine, optOut: true });
    if ('advice' in plan) throw new DockerUnavailableError(plan.advice, { cause: error });
    const script = relative(process.cwd(), plan.start) || plan.start;
    log(`fwprobe: no Docker engine answers; starting one with ${script} (it installs docker.io with apt if missing; FWPROBE_DOCKER_UP=0 turns this off)`);
    const code = await runScript(plan.start);
    if (code !== 0) {
      throw new DockerUnavailableError(`No Docker engine answers, and ${script} exited ${code} (its lines above say why): fix that, then run this again.`, { cause: error });
    }
  }
  await ping();
}

/** The system's own directories: under `npm test` PATH starts with node_modules/.bin, where any dependency may ship a `bash` or an `apt-get`. */
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** What the script may inherit (apt honours the proxies); never BASH_ENV, ENV or exported BASH_FUNC_* functions, which bash runs before the script. */
const PASSED_ON = ['HOME', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

/** The environment the script runs in (it may run as root): the system PATH and the few variables above. */
export function scriptEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(PASSED_ON.flatMap((key) => (env[key] === undefined ? [] : [[key, env[key]]])));
  return { ...kept, PATH: SYSTEM_PATH };
}

function runScript(script: string): Promise<number> {
  return new Promise((done) => {
    // Its progress lines go to stderr, where a person watching the first minute sees them. /bin/bash by
    // its path: the plan only starts on Debian/Ubuntu, where it is there.
    const child = spawn('/bin/bash', [script], { stdio: ['ignore', 'inherit', 'inherit'], env: scriptEnv(process.env) });
    child.on('error', () => done(127));
    child.on('exit', (code) => done(code ?? 1));
  });
}
