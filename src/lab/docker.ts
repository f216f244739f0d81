import Docker from 'dockerode';

let client: Docker | undefined;

/** One dockerode client per process. It honours DOCKER_HOST like the docker CLI does. */
export function getDocker(): Docker {
  client ??= new Docker();
  return client;
}

/** True when dockerode reports a 404 (no such image, container or network). */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 404;
}
