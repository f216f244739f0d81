import { FwprobeError } from '../errors.ts';

/** The Docker engine could not be reached or refused an operation fwprobe needs. */
export class DockerUnavailableError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DOCKER_UNAVAILABLE', message, options);
  }
}

/** Building the base or the target image failed. */
export class ImageBuildError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_BUILD_FAILED', message, options);
  }
}

/**
 * The lab is not what a scan needs (no `::1`, iptables unusable, a service not listening, …). A scenario that
 * hits this ends in `error`: scanning a lab that is not as declared would prove nothing.
 */
export class LabSelfCheckError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LAB_SELF_CHECK_FAILED', message, options);
  }
}

/** The declared services did not start listening. */
export class ServiceStartError extends FwprobeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVICE_START_FAILED', message, options);
  }
}
