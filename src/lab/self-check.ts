/**
 * Proves the lab can answer the questions a scenario asks before any scan: a failure ends the scenario in
 * `error`, never in a pass.
 */
import { describeCommandFailure } from '../model/command-text.ts';
import { LabSelfCheckError } from '../model/errors.ts';
import { TOOLS } from './apply-ruleset.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { listenerSpec, missingServices, parseSsListening, SS_COMMAND } from './listening.ts';

/**
 * Proves the lab can answer the questions a scenario asks, before any scan: `::1` on `lo`, both
 * iptables and ip6tables usable with this backend, and every declared service listening. A failure
 * ends the scenario in `error`, never in a pass.
 */
export async function selfCheck(host: StartedFwprobeContainer): Promise<void> {
  const tools = TOOLS[host.backend];
  const [lo, v4, v6, ss, up] = await host.runBatch(
    [
      ['ip', '-6', 'addr', 'show', 'dev', 'lo'],
      [tools.ipv4.cli, '-w', '-S'],
      [tools.ipv6.cli, '-w', '-S'],
      SS_COMMAND,
      ['ip', '-o', 'addr', 'show', 'up'],
    ],
    { stopOnFailure: false },
  );
  const problems: string[] = [];
  if (host.network) {
    // A script that takes the lab interface down would make the peer see "nothing": that is no firewall.
    const live = up!.stdout;
    for (const address of Object.values(await host.labAddresses())) {
      const line = live.split('\n').find((l) => l.includes(` ${address}/`));
      if (!line || /tentative|dadfailed/.test(line)) {
        problems.push(
          `the lab address ${address} is not on an UP interface (ip -o addr show up: ${JSON.stringify(live.trim())}). ` +
            'Did the ruleset script change the network? Peer scans would see nothing and prove nothing.',
        );
      }
    }
  }
  if (lo!.exitCode !== 0 || !/inet6 ::1\/128/.test(lo!.stdout)) {
    problems.push(
      `::1 is not on lo (ip -6 addr show dev lo: exit ${lo!.exitCode}, ${JSON.stringify(lo!.stdout.trim())}). ` +
        'IPv6 loopback scans would prove nothing: the container needs the disable_ipv6=0 sysctls.',
    );
  }
  for (const step of [v4!, v6!]) {
    if (step.exitCode !== 0) {
      problems.push(`${step.command[0]} is unusable: ${describeCommandFailure(step.command, step.exitCode, step.stderr, step.stdout)}`);
    }
  }
  const missing =
    ss!.exitCode === 0 ? missingServices(host.services, parseSsListening(ss!.stdout)) : [...host.services];
  if (missing.length > 0) problems.push(`services not listening: ${missing.map(listenerSpec).join(', ')}`);
  if (problems.length > 0) {
    throw new LabSelfCheckError(`Lab self-check failed in ${host.getId().slice(0, 12)}:\n- ${problems.join('\n- ')}`);
  }
}
