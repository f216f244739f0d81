/** Errors of the lab: Docker, the image, the containers, their networks, and the lab's own checks. */
import { coded } from './base.ts';

/** The Docker engine cannot be reached. */
export class DockerUnavailableError extends coded('DOCKER_UNAVAILABLE') {}
export class ImageBuildError extends coded('IMAGE_BUILD_FAILED') {}
/** A lab that could not be removed: a leak on the user's machine, so its scenario ends in error. */
export class LabCleanupError extends coded('LAB_CLEANUP_FAILED') {}
/** The lab is not what a scan needs: scanning it would prove nothing, so the scenario ends in `error`. */
export class LabSelfCheckError extends coded('LAB_SELF_CHECK_FAILED') {}
/** The lab after the scans differs from the lab before them: the verdict would describe another host. */
export class LabChangedError extends coded('LAB_CHANGED_DURING_SCANS') {}
/** The attribution phase could not trace (its observations say why they are undecided; never a scenario error). */
export class TraceError extends coded('ATTRIBUTION_TRACE_FAILED') {}
export class ServiceStartError extends coded('SERVICE_START_FAILED') {}
/** A subnet the scenario chose overlaps a network the Docker engine already has. */
export class SubnetCollisionError extends coded('LAB_SUBNET_COLLISION') {}
/** The lab's networks could not be wired (veth pairs, bridges, addresses, routes). */
export class LabWiringError extends coded('LAB_WIRING_FAILED') {}
