/**
 * The Docker-host image: the target image with Debian's docker.io in it (containers/dockerd/), for labs
 * whose target runs a real dockerd. Its tag carries the hash of that folder and the target's own tag, so a
 * change to either rebuilds it; Docker's build cache keeps a rebuild of an unchanged Dockerfile cheap.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerBuild } from './docker-build.ts';
import { hashDirectory, imageExists } from './image.ts';
import { ImageBuildError } from '../model/errors.ts';

const DOCKERD_CONTEXT = fileURLToPath(new URL('../../containers/dockerd/', import.meta.url));
const DOCKERD_REPOSITORY = 'fwprobe-dockerd';

/** Returns the tag of the Docker-host image built on `targetImage`, building it if needed. */
export async function ensureDockerdImage(targetImage: string, log: (line: string) => void = () => {}): Promise<string> {
  const targetHash = createHash('sha256').update(targetImage).digest('hex').slice(0, 8);
  const tag = `${DOCKERD_REPOSITORY}:${await hashDirectory(DOCKERD_CONTEXT)}-${targetHash}`;
  if (await imageExists(tag)) return tag;
  log(`building ${tag} FROM ${targetImage} (apt-get install docker.io)`);
  await build(tag, targetImage, log);
  return tag;
}

async function build(tag: string, targetImage: string, log: (line: string) => void): Promise<void> {
  const entries = await readdir(DOCKERD_CONTEXT, { withFileTypes: true, recursive: true });
  const src = entries.filter((e) => e.isFile()).map((e) => relative(DOCKERD_CONTEXT, join(e.parentPath, e.name)));
  const output: string[] = [];
  const failed = (why: string, cause?: unknown) =>
    new ImageBuildError(
      `docker build of ${DOCKERD_CONTEXT} (TARGET=${targetImage}) ${why}\nlast build output:\n${output.slice(-20).join('').trimEnd()}\n` +
        "It installs Debian's docker.io with apt-get: the engine's builds must reach Debian's mirror.",
      { cause },
    );
  try {
    await dockerBuild({ context: DOCKERD_CONTEXT, src, tag, buildargs: { TARGET: targetImage }, kind: 'dockerd' }, output, log);
  } catch (error) {
    throw failed(`failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  // A failed RUN step arrives as an event, not always as an error: check the result.
  if (!(await imageExists(tag))) throw failed(`produced no image ${tag}.`);
}
