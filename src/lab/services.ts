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

/** Starts the declared listeners and waits until `ss` shows every one of them. */
export async function startServices(host: StartedFwprobeContainer): Promise<void> {
  if (host.services.length === 0) return;
  const specs = host.services.map(listenerSpec);
  // setsid + nohup: the listener must outlive the exec session that started it.
  await host.runOk(['sh', '-c', `mkdir -p ${RULES_DIR} && { setsid nohup fwprobe-listener "$@" >${LISTENER_LOG} 2>&1 </dev/null & }`, 'fwprobe-listener', ...specs]);
  const deadline = Date.now() + SERVICE_WAIT_MS;
  let missing = [...host.services];
  let log = '';
  while (Date.now() < deadline) {
    // The log is read before ss: a READY read here was written before ss looked, so ss must show every socket.
    const { log: cat, ss } = await host.runNamedBatch({ log: ['cat', LISTENER_LOG], ss: SS_COMMAND }, { stopOnFailure: false });
    missing = missingServices(host.services, parseSsListening(ss.stdout));
    if (missing.length === 0) return probeUdpServices(host);
    log = cat.stdout.trim();
    // The listener binds everything before READY and dies on the first failure: no use waiting then.
    if (/^fwprobe-listener: /m.test(log) || /^READY$/m.test(log)) break;
    await new Promise((resolve) => setTimeout(resolve, SERVICE_POLL_MS));
  }
  throw new ServiceStartError(
    `These services are not listening: ${missing.map(listenerSpec).join(', ')}.\n` +
      `fwprobe-listener ${specs.join(' ')} said:\n${log || '(nothing)'}\n` +
      'A service `bind` must be any, any4, any6 or an address the container has (127.0.0.1, ::1, or its lab address).',
  );
}

/**
 * A UDP socket that is bound but does not answer would read `open|filtered`, as if a firewall dropped
 * it. Each UDP service is asked once on each family it serves before any ruleset is applied.
 */
export async function probeUdpServices(host: StartedFwprobeContainer): Promise<void> {
  const targets = host.services.filter((s) => s.protocol === 'udp').flatMap((s) => loopbackTargets(s.bind).map((address) => `[${address}]:${s.port}`));
  if (targets.length === 0) return;
  const result = await host.run(['fwprobe-listener', '--probe', ...targets]);
  if (result.exitCode !== 0) {
    throw new ServiceStartError(
      `UDP services do not answer on loopback before any ruleset is applied:\n${result.stdout.trim()}\n` +
        describeCommandFailure(['fwprobe-listener', '--probe', ...targets], result.exitCode, result.stderr, ''),
    );
  }
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
