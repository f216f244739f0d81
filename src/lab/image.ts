/**
 * The target image: built from containers/ (tag = hash of its files), on a registry base or a local
 * debootstrap base.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dockerBuild } from './docker-build.ts';
import { getDocker, isNotFound } from './docker.ts';
import { DockerUnavailableError, ImageBuildError } from '../model/errors.ts';

const CONTAINERS_DIR = fileURLToPath(new URL('../../containers/', import.meta.url));
const TARGET_CONTEXT = join(CONTAINERS_DIR, 'target');
const BUILD_BASE_SCRIPT = join(CONTAINERS_DIR, 'base', 'build-base.sh');
const TARGET_REPOSITORY = 'fwprobe-target';
const REGISTRY_BASE = 'debian:bookworm-slim';
const LOCAL_BASE = 'fwprobe-base:bookworm';
/**
 * debootstrap fetches about 90 packages: a minute on a good link, 10 minutes measured on a fresh machine
 * behind a slow proxy under load. The run's own imageBuild bound (20 min by default) is what a person
 * tunes; this one only ends a debootstrap that outlived it.
 */
const BASE_BUILD_TIMEOUT_MS = 30 * 60_000;

export interface EnsureImageOptions {
  /**
   * Base image for the target Dockerfile's `BASE` argument. Overrides the automatic choice.
   * @default process.env.FWPROBE_BASE_IMAGE, else `debian:bookworm-slim` if present or pullable, else a
   * local debootstrap base (`fwprobe-base:bookworm`).
   */
  base?: string;
  /** Progress lines (build steps). @default no output */
  log?: (line: string) => void;
}

/**
 * Returns the tag of the target image for the current `containers/` content, building it if needed.
 * The tag carries a hash of `containers/` (and of an explicitly chosen base), so an edit there, or another
 * base, triggers a rebuild.
 */
export async function ensureTargetImage(options: EnsureImageOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const chosen = options.base ?? process.env.FWPROBE_BASE_IMAGE;
  // An explicitly chosen base is part of the tag, so that choosing another one really rebuilds.
  const suffix = chosen ? `-${createHash('sha256').update(chosen).digest('hex').slice(0, 8)}` : '';
  const tag = `${TARGET_REPOSITORY}:${await hashDirectory(CONTAINERS_DIR)}${suffix}`;
  if (await imageExists(tag)) return tag;
  const base = chosen ?? (await chooseBase(log));
  log(`building ${tag} FROM ${base}`);
  await buildTarget(tag, base, log);
  return tag;
}

/** sha256 over every file's relative path and content, sorted: stable across machines and checkouts. */
export async function hashDirectory(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(dir)) {
    hash
      .update(relative(dir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function imageExists(name: string): Promise<boolean> {
  try {
    await getDocker().getImage(name).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw new DockerUnavailableError(`Cannot reach the Docker engine to inspect image ${name}: ${errorText(error)}. ` + 'Start dockerd (or set DOCKER_HOST) and try again.', { cause: error });
  }
}

async function chooseBase(log: (line: string) => void): Promise<string> {
  if (await imageExists(REGISTRY_BASE)) return REGISTRY_BASE;
  if (await tryPull(REGISTRY_BASE)) return REGISTRY_BASE;
  log(`${REGISTRY_BASE} cannot be pulled (no registry?): using a local debootstrap base, ${LOCAL_BASE}`);
  if (!(await imageExists(LOCAL_BASE))) await buildLocalBase(log);
  return LOCAL_BASE;
}

async function tryPull(name: string): Promise<boolean> {
  const docker = getDocker();
  try {
    const stream = await docker.pull(name);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
    });
    return true;
  } catch {
    // No registry is a normal condition here; the caller falls back to a local base.
    return false;
  }
}

async function buildLocalBase(log: (line: string) => void): Promise<void> {
  log(`debootstrap: building ${LOCAL_BASE} (about 90 packages from the Debian mirror: a minute or more)`);
  const started = Date.now();
  try {
    await promisify(execFile)('bash', [BUILD_BASE_SCRIPT, LOCAL_BASE], { timeout: BASE_BUILD_TIMEOUT_MS });
  } catch (error) {
    const failed = typeof error === 'object' && error ? (error as { stderr?: unknown; code?: unknown; killed?: boolean }) : {};
    const stderr = String(failed.stderr ?? '').trim();
    const minutes = Math.round((Date.now() - started) / 60_000);
    // Exit 2 is the script's own refusal (no debootstrap, not root); anything else is debootstrap's or the
    // mirror's, and advice to install debootstrap would send a person the wrong way.
    const advice = failed.killed
      ? `debootstrap did not finish in ${minutes} min (a slow mirror or a loaded machine): FWPROBE_DEBIAN_MIRROR names a closer mirror, or FWPROBE_BASE_IMAGE an image of Debian bookworm this engine already has.`
      : failed.code === 2
        ? 'Install debootstrap (apt-get install -y debootstrap) and run as root, or set FWPROBE_BASE_IMAGE to an image of Debian bookworm that this engine already has.'
        : 'FWPROBE_DEBIAN_MIRROR names another mirror, or FWPROBE_BASE_IMAGE an image of Debian bookworm this engine already has.';
    throw new ImageBuildError(`Building the local base image failed: bash ${BUILD_BASE_SCRIPT} ${LOCAL_BASE}\n${stderr ? `${stderr}\n` : ''}${advice}`, { cause: error });
  }
  log(`debootstrap: ${LOCAL_BASE} built in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function buildTarget(tag: string, base: string, log: (line: string) => void): Promise<void> {
  const src = (await listFiles(TARGET_CONTEXT)).map((file) => relative(TARGET_CONTEXT, file));
  const output: string[] = [];
  try {
    await dockerBuild({ context: TARGET_CONTEXT, src, tag, buildargs: { BASE: base }, kind: 'target' }, output, log);
  } catch (error) {
    throw new ImageBuildError(`docker build of ${TARGET_CONTEXT} (BASE=${base}) failed: ${errorText(error)}\n` + `last build output:\n${output.slice(-20).join('').trimEnd()}`, { cause: error });
  }
  // followProgress reports a failed RUN step as an event, not always as an error: check the result.
  if (!(await imageExists(tag))) {
    throw new ImageBuildError(`docker build of ${TARGET_CONTEXT} (BASE=${base}) produced no image ${tag}.\n` + `last build output:\n${output.slice(-20).join('').trimEnd()}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
