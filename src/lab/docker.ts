/**
 * The one dockerode client, and the first clear error when no Docker engine answers.
 */
import Docker from 'dockerode';
import { DockerUnavailableError } from '../model/errors.ts';
import { usedEngine } from './docker-context.ts';

let client: Docker | undefined;

/** One dockerode client per process. It honours DOCKER_HOST and docker contexts like the docker CLI does. */
export function getDocker(): Docker {
  // dockerode and testcontainers read DOCKER_HOST only: a context the user chose becomes it first.
  usedEngine();
  client ??= new Docker();
  return client;
}

/** True when dockerode reports a 404 (no such image, container or network). */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 404;
}

/**
 * Fails early, with what to do, when no Docker engine answers: every later step would fail with a bare
 * socket error instead.
 */
export async function assertDockerAvailable(): Promise<void> {
  try {
    await getDocker().ping();
  } catch (error) {
    throw new DockerUnavailableError(
      `No Docker engine answers (${error instanceof Error ? error.message : String(error)}). fwprobe needs one: ` +
        'start dockerd (on Debian/Ubuntu as root: bash scripts/docker-up.sh installs and starts it), or set DOCKER_HOST.',
      { cause: error },
    );
  }
}
