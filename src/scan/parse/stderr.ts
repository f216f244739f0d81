/**
 * What nmap writes to stderr beside its XML (`-oX -` keeps stdout for the XML): warnings, kept in the
 * result so that a report shows what nmap complained about, and the probes it could not send, which
 * decide whether a silent port is evidence (probes-left.ts). Shapes are nmap 7.93's (libnetutil Sendto,
 * scan_engine's eth_send warning), checked against real runs.
 */

/** At most this many distinct lines are kept: nmap repeats itself (10 sendto errors, then it stops). */
export const MAX_WARNINGS = 20;
/** Longer lines are cut: an `Offending packet` line is ~120 characters, a runaway one should not bloat results. */
const MAX_WARNING_LENGTH = 300;

/** Distinct non-empty stderr lines, in order, at most MAX_WARNINGS, each at most 300 characters. */
export function readWarnings(stderr: string): string[] {
  return mergeWarnings([], stderr.split('\n'));
}

/** `a` then the lines of `b` it lacks, bounded like readWarnings. */
export function mergeWarnings(a: readonly string[], b: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const raw of [...a, ...b]) {
    const line = raw.trim();
    if (line === '') continue;
    kept.add(line.length > MAX_WARNING_LENGTH ? `${line.slice(0, MAX_WARNING_LENGTH)}…` : line);
    if (kept.size === MAX_WARNINGS) break;
  }
  return [...kept];
}

/** One probe nmap could not send, as its stderr tells. */
export interface SendFailure {
  /** The error as nmap printed it (strerror text), e.g. `Operation not permitted`. */
  error: string;
  /**
   * EPERM. On Linux a raw socket's sendto fails with EPERM when a netfilter hook of the sender's own
   * network namespace drops the packet (NF_DROP, e.g. an OUTPUT chain with policy DROP or a DROP or
   * REJECT rule there). Other errors (ENOBUFS, ENOMEM, EACCES, ENETUNREACH, …) are not firewall decisions.
   */
  refusedByNetfilter: boolean;
  /** The probe's destination port, from the `Offending packet:` line that follows; null without one. */
  port: number | null;
  /** The stderr line, for the error message. */
  line: string;
}

export interface SendFailures {
  failures: SendFailure[];
  /** nmap stopped printing send errors ("Omitting future Sendto error messages…" after 10 of them). */
  omitted: boolean;
}

const SENDTO = /^sendto in \S+: sendto\(.*\) => (.+)$/;
const ETH_SEND = /^WARNING: eth_send of .* \(errno=\d+: (.+)\)$/;
/** Printed for ENOBUFS and ENOMEM (nmap sleeps 15 s or more, then retries), even after the 10th error. */
const SLEEP_RETRY = /^Sleeping \d+ seconds then retrying$/;
/** `Offending packet: TCP 127.0.0.1:63214 > 127.0.0.1:139 S …`, `… TCP ::1:48821 > ::1:993 S …`. */
const OFFENDING = /^Offending packet: \S+ \S+:(\d+) > \S+:(\d+)\b/;
const OMITTED = /^Omitting future \S+ error messages/;
const EPERM_TEXT = 'Operation not permitted';

export function readSendFailures(stderr: string): SendFailures {
  const failures: SendFailure[] = [];
  let omitted = false;
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    const error = SENDTO.exec(line)?.[1] ?? ETH_SEND.exec(line)?.[1];
    if (error !== undefined) {
      failures.push({ error, refusedByNetfilter: error === EPERM_TEXT, port: null, line });
      continue;
    }
    const offending = OFFENDING.exec(line);
    const last = failures.at(-1);
    if (offending && last && last.port === null) {
      last.port = Number(offending[2]);
    } else if (SLEEP_RETRY.test(line)) {
      failures.push({ error: 'No buffer space available or Cannot allocate memory', refusedByNetfilter: false, port: null, line });
    } else if (OMITTED.test(line)) {
      omitted = true;
    }
  }
  return { failures, omitted };
}
