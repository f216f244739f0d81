/**
 * One `docker build` with its output kept: the target image and the Docker-host image are built the same
 * way, and a failed build must show its last lines, whichever image it was.
 */
import { getDocker } from './docker.ts';

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export interface BuildRequest {
  context: string;
  /** The files of `context` to send, relative to it. */
  src: string[];
  tag: string;
  buildargs: Record<string, string>;
  /** The `org.fwprobe.image` label: which of fwprobe's images this is. */
  kind: string;
}

/**
 * Builds the image, pushing every output line into `output` (for the caller's error) and each `Step`
 * line to `log`. Rejects with the engine's error; a failed RUN step may arrive only as an event, so the
 * caller checks that the image exists afterwards.
 */
export async function dockerBuild(request: BuildRequest, output: string[], log: (line: string) => void): Promise<void> {
  const docker = getDocker();
  const stream = await docker.buildImage({ context: request.context, src: request.src }, { t: request.tag, buildargs: request.buildargs, labels: { 'org.fwprobe.image': request.kind }, rm: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: BuildEvent) => {
        if (event.stream) {
          output.push(event.stream);
          if (event.stream.startsWith('Step ')) log(event.stream.trim());
        }
        if (event.error) output.push(event.errorDetail?.message ?? event.error);
      },
    );
  });
}
