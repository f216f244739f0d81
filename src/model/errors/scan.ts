/**
 * Errors of the scans: an nmap run that is no evidence (one class per way, all `NmapScanError`, built on
 * `CommandFailedError`), nmap XML of the wrong shape, a target outside the lab, and a scenario with no scan.
 */
import { coded, type ErrorOptions } from './base.ts';
import { CommandFailedError, type CommandFailureCode, type CommandOutcome } from './command.ts';

export type NmapCode = Extract<CommandFailureCode, `NMAP_${string}` | 'PORT_NOT_SCANNED'>;

type NmapOptions = ErrorOptions & { port?: number; target?: string; errormsg?: string };

/** Base of every error about one nmap run: the headline says what to do, then the command and its output. */
export abstract class NmapScanError<C extends NmapCode = NmapCode> extends CommandFailedError<C> {
  /** The port, target address or nmap error message the error is about, where there is one. */
  readonly port?: number;
  readonly target?: string;
  readonly errormsg?: string;

  constructor(headline: string, run: CommandOutcome, options?: NmapOptions) {
    super(run, headline, options);
    if (options?.port !== undefined) this.port = options.port;
    if (options?.target !== undefined) this.target = options.target;
    if (options?.errormsg !== undefined) this.errormsg = options.errormsg;
  }
}

function nmap<C extends NmapCode>(code: C) {
  return class extends NmapScanError<C> {
    static override readonly code: C = code;
  };
}

/** nmap exited non-zero: its results cannot be trusted even if the XML looks complete. */
export class NmapExitError extends nmap('NMAP_EXIT_NONZERO') {}
/** nmap ended with `<finished exit="error">`. */
export class NmapRunError extends nmap('NMAP_RUN_ERROR') {}
/** nmap's XML stops before its end (interrupted, timed out, or never started). */
export class NmapOutputTruncatedError extends nmap('NMAP_OUTPUT_TRUNCATED') {}
/** nmap's output is not the XML fwprobe expects. */
export class NmapXmlInvalidError extends nmap('NMAP_XML_INVALID') {}
/** nmap listed the host without any port results. */
export class NmapNoPortsError extends nmap('NMAP_NO_PORTS') {}
/** nmap's output has no results (or several) for the target. */
export class NmapHostMissingError extends nmap('NMAP_HOST_MISSING') {}
/** nmap scanned another protocol than the one asked for. */
export class NmapProtocolMismatchError extends nmap('NMAP_PROTOCOL_MISMATCH') {}
/** nmap could not send probes while ports of interest got no answer: a probe that never left proves nothing. */
export class NmapSendFailedError extends nmap('NMAP_SEND_FAILED') {}
/** A port of interest has no state in nmap's output. */
export class PortNotScannedError extends nmap('PORT_NOT_SCANNED') {}

/**
 * nmap's XML is not of the shape fwprobe reads, found before the run it came from is at hand: the parser
 * turns it into an `NmapXmlInvalidError` with the command and its output.
 */
export class NmapXmlShapeError extends coded('NMAP_XML_INVALID') {}

/** A scan target outside the lab was asked for. Raised before nmap runs. */
export class OutOfScopeTargetError extends coded('SCAN_TARGET_OUT_OF_SCOPE') {}
/** A scenario with neither services nor ports: no scan ran, so there is nothing to judge. */
export class NoScanRanError extends coded('NO_SCAN_RAN') {}
