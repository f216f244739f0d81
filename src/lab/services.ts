/**
 * The target's real listeners: started before any ruleset, waited for until `ss` shows each one, and each
 * UDP service asked once, so that a silent socket can never pass for a filtered port.
 */
import { describeCommandFailure } from '../model/command-text.ts';
import { ServiceStartError } from '../model/errors.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { listenerSpec, missingServices, parseSsListening, SS_COMMAND } from './listening.ts';

export const RULES_DIR = '/run/fwprobe';
const LISTENER_LOG = '/run/fwprobe/listener.log';
// Generous: perl's start under a loaded 2-core machine took seconds; READY ends the wait early anyway.
const SERVICE_WAIT_MS = 15_000;
const SERVICE_POLL_MS = 50;

/**
 * Starts the declared listeners and waits until `ss` shows every one of them, then asks each UDP service
 * once: one exec, the wait inside the container (a poll from here cost a round trip each, and perl's start
 * under load takes several).
 */
export async function startServices(host: StartedFwprobeContainer): Promise<void> {
  if (host.services.length === 0) return;
  const specs = host.services.map(listenerSpec);
  const udp = udpTargets(host);
  const polls = Math.ceil(SERVICE_WAIT_MS / SERVICE_POLL_MS);
  const {
    start,
    log: cat,
    ss,
    probe,
  } = await host.runNamedBatch(
    {
      // setsid + nohup: the listener must outlive the exec session that started it.
      start: ['sh', '-c', `mkdir -p ${RULES_DIR} && { setsid nohup fwprobe-listener "$@" >${LISTENER_LOG} 2>&1 </dev/null & }`, 'fwprobe-listener', ...specs],
      // The listener binds everything before READY and dies on the first failure: the wait ends on either.
      wait: ['sh', '-c', `i=0; while [ $i -lt ${polls} ]; do grep -qE '^(READY$|fwprobe-listener: )' ${LISTENER_LOG} 2>/dev/null && exit 0; sleep ${SERVICE_POLL_MS / 1000}; i=$((i+1)); done; exit 1`],
      // The log is read before ss: a READY read here was written before ss looked, so ss must show every socket.
      log: ['cat', LISTENER_LOG],
      ss: SS_COMMAND,
      probe: udp.length > 0 ? [['fwprobe-listener', '--probe', ...udp]] : [],
    },
    { stopOnFailure: false, phase: 'starting the services', timeoutMs: SERVICE_WAIT_MS + host.bounds.exec },
  );
  if (start.exitCode !== 0) throw new ServiceStartError(`Starting fwprobe-listener failed: ${describeCommandFailure(start.command, start.exitCode, start.stderr, start.stdout)}`);
  const missing = missingServices(host.services, parseSsListening(ss.stdout));
  if (missing.length > 0) {
    throw new ServiceStartError(
      `These services are not listening: ${missing.map(listenerSpec).join(', ')}.\n` +
        `fwprobe-listener ${specs.join(' ')} said:\n${cat.stdout.trim() || '(nothing)'}\n` +
        'A service `bind` must be any, any4, any6 or an address the container has (127.0.0.1, ::1, or its lab address).',
    );
  }
  const [asked] = probe;
  if (asked) udpFailure(asked.command, asked);
}

/**
 * A UDP socket that is bound but does not answer would read `open|filtered`, as if a firewall dropped
 * it. Each UDP service is asked once, in the start's exec, on each family it serves before any ruleset.
 */
function udpTargets(host: StartedFwprobeContainer): string[] {
  return host.services.filter((s) => s.protocol === 'udp').flatMap((s) => loopbackTargets(s.bind).map((address) => `[${address}]:${s.port}`));
}

function udpFailure(command: readonly string[], result: { exitCode: number; stdout: string; stderr: string }): void {
  if (result.exitCode === 0) return;
  throw new ServiceStartError(
    `UDP services do not answer on loopback before any ruleset is applied:\n${result.stdout.trim()}\n` + describeCommandFailure([...command], result.exitCode, result.stderr, ''),
  );
}

/** Loopback addresses through which a service bound to `bind` can be asked. */
function loopbackTargets(bind: string): string[] {
  switch (bind) {
    case 'any':
      return ['127.0.0.1', '::1'];
    case 'any4':
      return ['127.0.0.1'];
    case 'any6':
      return ['::1'];
    default:
      return [bind];
  }
}
