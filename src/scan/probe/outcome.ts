/**
 * Reading what `fwprobe-probe` printed, and the listener's received log, into one outcome per probe. Output
 * without its closing `#end` line was cut short and is an error, never "no probe got through".
 */
import { CommandFailedError, type CommandOutcome } from '../../model/errors.ts';

export type ProbeResult = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'answered' | 'silent' | 'error' | 'aborted';

/**
 * Whether a probe really went out (or was stopped by the firewall on its way: an EPERM at send is the
 * local OUTPUT chain's answer). Only a probe that never started (aborted, or failing to create or bind its
 * socket, e.g. EADDRINUSE) is no evidence at all.
 */
export function wasSent(outcome: ProbeOutcome | undefined): boolean {
  if (!outcome || outcome.result === 'aborted') return false;
  return !(outcome.result === 'error' && (outcome.stage === 'socket' || outcome.stage === 'bind'));
}

export interface ProbeOutcome {
  id: string;
  result: ProbeResult;
  /** The local address and port the probe really used. */
  local: string;
  errno: string | null;
  /** Where errno came from: socket, bind, connect, send, recv, or null. */
  stage: string | null;
  /** The UDP datagram's payload, as the listener logs it. */
  token: string | null;
}

const RESULTS = new Set<ProbeResult>(['connected', 'refused', 'timeout', 'unreachable', 'answered', 'silent', 'error', 'aborted']);

/** @throws CommandFailedError when the tool failed on its input or its output is cut short. */
export function parseProbeOutput(run: CommandOutcome): ProbeOutcome[] {
  const lines = run.stdout.split('\n');
  if (run.exitCode === 2 || !lines.some((l) => l.startsWith('#end\t'))) {
    throw new CommandFailedError(run, 'The client probes did not finish (no #end line): their output cannot be trusted.');
  }
  const out: ProbeOutcome[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const [id, , result, , laddr, lport, , , errno, stage, token] = line.split('\t');
    if (!id || !RESULTS.has(result as ProbeResult)) {
      throw new CommandFailedError(run, `The client probe tool printed a line fwprobe cannot read: ${JSON.stringify(line)}.`);
    }
    out.push({
      id,
      result: result as ProbeResult,
      local: `${laddr}:${lport}`,
      errno: errno && errno !== '-' ? errno : null,
      stage: stage && stage !== '-' ? stage : null,
      token: token && token !== '-' ? token : null,
    });
  }
  return out;
}

/** One line of the listener's received log: what reached a listener, from where. */
export interface Received {
  protocol: 'tcp' | 'udp';
  source: string;
  sourcePort: number;
  port: number;
  /** The start of a UDP datagram (the probe's token), or null for TCP. */
  data: string | null;
  /** Whose listener logged it: the target, or a host behind it. @default 'target' */
  host?: string;
}

/** `TIME PROTO SRC SPORT DST DPORT LEN DATA`, tab-separated; malformed lines are skipped (the log is the
 * target's, and only adds evidence of exposure, never removes it). */
export function parseReceivedLog(text: string, host?: string): Received[] {
  const out: Received[] = [];
  for (const line of text.split('\n')) {
    const [, protocol, source, sport, , dport, , data] = line.split('\t');
    if ((protocol !== 'tcp' && protocol !== 'udp') || !source || !sport || !dport) continue;
    out.push({ protocol, source, sourcePort: Number(sport), port: Number(dport), data: data && data !== '-' ? data : null, ...(host ? { host } : {}) });
  }
  return out;
}
