/**
 * What is not the user's doing: a bug in fwprobe (`InternalError`, with the stack and a request to report
 * it), the operating system or the Docker engine refusing. `asFwprobeError` is the one place where any
 * thrown value becomes an error a result can carry.
 */
import { FwprobeError, type ErrorOptions } from './base.ts';

/** The line every internal error ends with. */
export const REPORT_BUG = 'This is a bug in fwprobe, not in your scenario or ruleset: please report it with this whole message ' + 'and the output of `fwprobe --version`.';

const MAX_FRAMES = 12;

/**
 * A bug in fwprobe: a broken invariant (a caller passed what the types allow but the code never should), or
 * any exception fwprobe did not raise on purpose. The message has the stack and `REPORT_BUG`.
 */
export class InternalError extends FwprobeError {
  static readonly code = 'INTERNAL';
  declare readonly code: 'INTERNAL';
  /** What went wrong, without the stack and the report line. */
  readonly detail: string;

  constructor(detail: string, options?: ErrorOptions) {
    super('INTERNAL', detail, options);
    this.detail = detail;
    // The stack of what was thrown (the cause), else of this error: where the broken invariant was found.
    const cause = options?.cause;
    const stack = cause instanceof Error ? cause.stack : cause === undefined ? this.stack : undefined;
    const frames = (stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    const shown =
      frames.length === 0
        ? ['  (no stack: the thrown value was not an Error)']
        : [...frames.slice(0, MAX_FRAMES), ...(frames.length > MAX_FRAMES ? [`    … ${frames.length - MAX_FRAMES} more frames`] : [])];
    this.message = [`Internal error: ${detail}`, ...shown, REPORT_BUG].join('\n');
  }
}

/** The operating system refused a call (no space left, permission denied, too many open files…). */
export class SystemError extends FwprobeError {
  static readonly code = 'SYSTEM_ERROR';
  declare readonly code: 'SYSTEM_ERROR';

  constructor(error: NodeJS.ErrnoException) {
    super(
      'SYSTEM_ERROR',
      `${error.message}\nThe operating system refused ${error.syscall ?? 'a call'} (${error.code ?? 'no code'}): ` + 'check free disk space, permissions and limits on this machine, then run again.',
      { cause: error },
    );
  }
}

/** The Docker engine answered a request with an error status. */
export class DockerApiError extends FwprobeError {
  static readonly code = 'DOCKER_API_FAILED';
  declare readonly code: 'DOCKER_API_FAILED';
  readonly statusCode: number;

  constructor(error: Error & { statusCode: number }) {
    super(
      'DOCKER_API_FAILED',
      `The Docker engine refused a request (HTTP ${error.statusCode}): ${error.message}\n` + "Check `docker info` and the engine's log (disk space, a name or network already in use), then run again.",
      { cause: error },
    );
    this.statusCode = error.statusCode;
  }
}

/**
 * The one conversion of a thrown value into an error a result can carry: fwprobe's own errors as they are;
 * a refusal by the operating system or the Docker engine as such; anything else is a bug, `INTERNAL`.
 */
export function asFwprobeError(error: unknown): FwprobeError {
  if (error instanceof FwprobeError) return error;
  if (error instanceof Error) {
    const { code, syscall, statusCode } = error as Error & { code?: unknown; syscall?: unknown; statusCode?: unknown };
    if (typeof code === 'string' && typeof syscall === 'string') return new SystemError(error);
    if (typeof statusCode === 'number' && statusCode >= 400) return new DockerApiError(error as Error & { statusCode: number });
    return new InternalError(`${error.name}: ${error.message}`, { cause: error });
  }
  return new InternalError(`a ${typeof error} was thrown, not an Error: ${String(error)}`, { cause: error });
}
