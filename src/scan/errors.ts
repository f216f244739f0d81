/**
 * Errors raised while reading an nmap run. Every one except PortSpecError describes one nmap invocation:
 * its message starts with what went wrong and what to do, then shows the command, exit code, stderr and
 * an excerpt of stdout (via `describeCommandFailure`), so a failed scan can be reproduced by hand.
 */
import { describeCommandFailure, FwprobeError } from '../errors.ts';
import type { Protocol } from '../model.ts';

/** The nmap invocation an error is about. */
export interface NmapRunDetails {
  command: readonly string[];
  exitCode: number;
  stderr: string;
  stdout: string;
}

/** Base of every error about one nmap run. Catch this to handle any failed scan. */
export abstract class NmapScanError extends FwprobeError {
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;

  constructor(code: string, headline: string, run: NmapRunDetails, options?: { cause?: unknown }) {
    const details = describeCommandFailure(run.command, run.exitCode, run.stderr, run.stdout);
    super(code, `${headline}\n${details}`, options);
    this.command = run.command;
    this.exitCode = run.exitCode;
    this.stderr = run.stderr;
  }
}

/** nmap exited with a non-zero code. Raised even when its XML looks complete. */
export class NmapExitError extends NmapScanError {
  constructor(run: NmapRunDetails) {
    super(
      'NMAP_EXIT_NONZERO',
      `nmap exited with code ${run.exitCode}, so its results cannot be trusted even if the XML looks ` +
        'complete. Check stderr below and run the command by hand inside the container.',
      run,
    );
  }
}

/** nmap reported a fatal error in `<finished exit="error" errormsg=…>`. */
export class NmapRunError extends NmapScanError {
  readonly errormsg: string;

  constructor(errormsg: string, run: NmapRunDetails) {
    super(
      'NMAP_RUN_ERROR',
      `nmap stopped with an error: "${errormsg}" (from <finished exit="error">). Fix the nmap arguments ` +
        'or target named in that message.',
      run,
    );
    this.errormsg = errormsg;
  }
}

/** The XML ends early (no `</nmaprun>` or no `<runstats>`): nmap was killed or its output was cut. */
export class NmapTruncatedError extends NmapScanError {
  constructor(what: string, run: NmapRunDetails, options?: { cause?: unknown }) {
    super(
      'NMAP_OUTPUT_TRUNCATED',
      `nmap's XML output is incomplete (${what}). nmap was probably interrupted (exit 130 = SIGINT, ` +
        '143 = SIGTERM) or timed out; an incomplete run is never read as "no open ports". Re-run the scan ' +
        'and give it more time.',
      run,
      options,
    );
  }
}

/** stdout is not well-formed XML, or not shaped like nmap's XML (per nmap.dtd). */
export class NmapXmlError extends NmapScanError {
  constructor(problem: string, run: NmapRunDetails, options?: { cause?: unknown }) {
    super(
      'NMAP_XML_INVALID',
      `nmap's output is not the XML fwprobe expects: ${problem}. Make sure the command writes XML to ` +
        'stdout with "-oX -" and that nothing else writes to stdout.',
      run,
      options,
    );
  }
}

/**
 * The scanned host has no `<ports>`: `--host-timeout` fired (`timedout="true"`) or nmap gave up. This is
 * not "every port filtered": nmap simply has no answer.
 */
export class NmapNoPortsError extends NmapScanError {
  constructor(target: string, why: string, run: NmapRunDetails) {
    super(
      'NMAP_NO_PORTS',
      `nmap reported host ${target} without any port results (${why}). That is not "everything ` +
        'filtered": nmap has no answer. Remove --host-timeout (or raise it) and re-run.',
      run,
    );
  }
}

/** The host that was scanned is not in the output (no host at all, or only other addresses). */
export class NmapHostMissingError extends NmapScanError {
  readonly target: string;

  constructor(target: string, problem: string, run: NmapRunDetails) {
    super(
      'NMAP_HOST_MISSING',
      `nmap's output has no results for ${target}: ${problem}. Check that the target address and the ` +
        'address family (-6 for IPv6) match, and read stderr below.',
      run,
    );
    this.target = target;
  }
}

/** The XML reports a different protocol than the scan was meant to cover (e.g. tcp ports in a -sU run). */
export class NmapProtocolMismatchError extends NmapScanError {
  constructor(expected: Protocol, found: string, where: string, run: NmapRunDetails) {
    super(
      'NMAP_PROTOCOL_MISMATCH',
      `expected a ${expected} scan, but ${where} says protocol="${found}". Use -sS/-sT for tcp and -sU ` +
        'for udp, one protocol per nmap run.',
      run,
    );
  }
}

/** A port of interest has no state in the output, or its state cannot be told from `<extraports>`. */
export class PortNotScannedError extends NmapScanError {
  readonly port: number;

  constructor(port: number, protocol: Protocol, why: string, run: NmapRunDetails) {
    super(
      'PORT_NOT_SCANNED',
      `port ${protocol}/${port} has no state in nmap's output: ${why}. Make sure the port is in nmap's ` +
        '-p list; fwprobe never guesses a state for a port nmap did not report.',
      run,
    );
    this.port = port;
  }
}

/** A port list in nmap `-p` syntax is malformed or out of range. */
export class PortSpecError extends FwprobeError {
  readonly spec: string;

  constructor(spec: string, problem: string) {
    super(
      'PORT_SPEC_INVALID',
      `invalid port list "${spec}": ${problem}. Write ports as comma-separated numbers or LOW-HIGH ` +
        'ranges from 0 to 65535, e.g. "22,53,80-82".',
    );
    this.spec = spec;
  }
}
