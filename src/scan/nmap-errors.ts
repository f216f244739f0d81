/**
 * The ways one nmap run can fail to be evidence, each a subclass of NmapScanError (model/errors/scan.ts) whose
 * headline says what it means and what to do, followed by the command, exit code, stderr and an excerpt of stdout.
 */
import {
  NmapExitError,
  NmapHostMissingError,
  NmapNoPortsError,
  NmapOutputTruncatedError,
  NmapProtocolMismatchError,
  NmapRunError,
  NmapSendFailedError,
  NmapXmlInvalidError,
  PortNotScannedError,
  type CommandOutcome,
} from '../model/errors.ts';
import type { Protocol } from '../model/observation.ts';

type Options = { cause?: unknown };

export const nmapErrors = {
  exit: (run: CommandOutcome) =>
    new NmapExitError(`nmap exited with code ${run.exitCode}, so its ` + 'results cannot be trusted even if the XML looks complete. Check stderr below and run the command by hand.', run),
  run: (errormsg: string, run: CommandOutcome) =>
    new NmapRunError(`nmap stopped with an error: ` + `"${errormsg}" (from <finished exit="error">). Fix the nmap arguments or target named in that message.`, run, { errormsg }),
  truncated: (what: string, run: CommandOutcome, options?: Options) =>
    new NmapOutputTruncatedError(
      `nmap's XML output is incomplete (${what}). ` +
        // The kernel refused to start nmap at all: its port list was too long for one argument.
        (/argument list too long/i.test(run.stderr)
          ? 'nmap never started: its command line was longer than the kernel allows (E2BIG), a bug in how fwprobe listed the ports. '
          : 'nmap was probably interrupted (exit 130 = SIGINT, 143 = SIGTERM) or timed out. ') +
        'An incomplete run is never read as "no open ports". Re-run the scan and give it more time.',
      run,
      options,
    ),
  xml: (problem: string, run: CommandOutcome, options?: Options) =>
    new NmapXmlInvalidError(
      `nmap's output is not the XML fwprobe expects: ${problem}. Make sure the command writes XML to stdout with ` + '"-oX -" and that nothing else writes to stdout.',
      run,
      options,
    ),
  noPorts: (target: string, why: string, run: CommandOutcome) =>
    new NmapNoPortsError(
      `nmap reported ` + `host ${target} without any port results (${why}). That is not "everything filtered": nmap has no answer. ` + 'Remove --host-timeout (or raise it) and re-run.',
      run,
    ),
  hostMissing: (target: string, problem: string, run: CommandOutcome) =>
    new NmapHostMissingError(`nmap's output has no results for ${target}: ${problem}. Check that the target address and the address ` + 'family (-6 for IPv6) match, and read stderr below.', run, {
      target,
    }),
  protocol: (expected: Protocol, found: string, where: string, run: CommandOutcome) =>
    new NmapProtocolMismatchError(`expected a ${expected} scan, but ${where} says protocol="${found}". Use -sS/-sT for ` + 'tcp and -sU for udp, one protocol per nmap run.', run),
  sendFailed: (ports: string, warning: string, why: string, run: CommandOutcome) =>
    new NmapSendFailedError(`nmap could not send probes ("${warning}") while ports of interest ${ports} got no answer: a probe that ` + `never left proves nothing about the firewall. ${why}`, run),
  notScanned: (port: number, protocol: Protocol, why: string, run: CommandOutcome) =>
    new PortNotScannedError(
      `port ${protocol}/${port} has no state in nmap's output: ${why}. Make sure the port is in ` + "nmap's -p list; fwprobe never guesses a state for a port nmap did not report.",
      run,
      { port },
    ),
};
