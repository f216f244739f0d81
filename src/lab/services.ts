/**
 * The target's real listeners: started before any ruleset, waited for until `ss` shows each one, and each
 * UDP service asked once, so that a silent socket can never pass for a filtered port.
 */
import { describeCommandFailure } from '../model/command-text.ts';
import { ServiceStartError } from '../model/errors.ts';
import type { StepResult } from './batch.ts';
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
  const deadline = Date.now() + SERVICE_WAIT_MS;
  // One exec starts the listener, waits in the container for its READY (or its first error), then reads its
  // log and ss: the usual start costs one round trip instead of three. Later looks only read.
  // setsid + nohup: the listener must outlive the exec session that started it.
  const start = ['sh', '-c', START_AND_WAIT, 'fwprobe-listener', String(IN_EXEC_POLLS), ...specs];
  const udpProbe = udpProbeCommand(host);
  let missing = [...host.services];
  let log = '';
  for (let first = true; first || Date.now() < deadline; first = false) {
    // The log is read before ss: a READY read here was written before ss looked, so ss must show every socket.
    // Later looks only read (`true` keeps the steps' names).
    // The UDP services are asked last in the same exec: their answer counts once ss showed every socket.
    const steps = await host.runNamedBatch({ start: first ? start : ['true'], log: ['cat', LISTENER_LOG], ss: SS_COMMAND, udp: udpProbe ? [udpProbe] : [] }, { stopOnFailure: false });
    if (steps.start.exitCode !== 0) throw new ServiceStartError(`fwprobe-listener could not be started: ${steps.start.stderr.trim() || `exit ${steps.start.exitCode}`}`);
    missing = missingServices(host.services, parseSsListening(steps.ss.stdout));
    if (missing.length === 0) return udpAnswered(steps.udp[0]);
    log = steps.log.stdout.trim();
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

// In-exec wait: up to IN_EXEC_POLLS × 20 ms for READY or the listener's first error; past that, node polls.
const IN_EXEC_POLLS = 150;
const START_AND_WAIT = [
  `mkdir -p ${RULES_DIR} || exit 1`,
  'polls=$1; shift',
  `{ setsid nohup fwprobe-listener "$@" >${LISTENER_LOG} 2>&1 </dev/null & }`,
  'i=0',
  `while [ "$i" -lt "$polls" ] && ! grep -qE '^(READY$|fwprobe-listener: )' ${LISTENER_LOG} 2>/dev/null; do sleep 0.02; i=$((i + 1)); done`,
  'exit 0',
].join('\n');

// A UDP socket that is bound but does not answer would read `open|filtered`, as if a firewall dropped it:
// each UDP service is asked once on each family it serves before any ruleset is applied.

/** The listener's own client asking each UDP service once over loopback; null without UDP services. */
function udpProbeCommand(host: StartedFwprobeContainer): string[] | null {
  const targets = host.services.filter((s) => s.protocol === 'udp').flatMap((s) => loopbackTargets(s.bind).map((address) => `[${address}]:${s.port}`));
  return targets.length === 0 ? null : ['fwprobe-listener', '--probe', ...targets];
}

/** @throws ServiceStartError when a UDP service did not answer (`step` absent: there was none to ask). */
function udpAnswered(step: StepResult | undefined): void {
  if (!step || step.exitCode === 0) return;
  throw new ServiceStartError(`UDP services do not answer on loopback before any ruleset is applied:\n${step.stdout.trim()}\n` + describeCommandFailure(step.command, step.exitCode, step.stderr, ''));
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
