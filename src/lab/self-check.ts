/**
 * Proves the lab can answer the questions a scenario asks, and records what it looked like: run before the
 * scans (a failure ends the scenario in `error`, never in a pass) and again after them, where any
 * difference (rules, listeners, addresses, routes) means the scans saw another host than the one recorded.
 */
import { describeCommandFailure } from '../model/command-text.ts';
import { LabSelfCheckError } from '../model/errors.ts';
import { normaliseNftListing, parseNftListing } from '../ruleset/nft-listing.ts';
import { NFT_LIST } from './nft-list.ts';
import { TOOLS } from './apply-ruleset.ts';
import type { StepResult } from './batch.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { afterSettling, settlingAddresses } from './dad.ts';
import { lines, normaliseLinks, normaliseSave, type LabState } from './lab-state.ts';
import { listenerSpec, missingServices, parseSsListening, SS_COMMAND } from './listening.ts';

const LINK_LOCAL = /\bfe80:/;
/** iptables-nft's refusal of a table nft made: `table \`filter' is incompatible, use 'nft' tool.` */
const INCOMPATIBLE = /table `\w+' is incompatible, use 'nft' tool/;
/** Entries and limit of the connection tracking table; nothing when conntrack is not loaded. */
const CONNTRACK_FILL = ['sh', '-c', 'cat /proc/sys/net/netfilter/nf_conntrack_count /proc/sys/net/netfilter/nf_conntrack_max 2>/dev/null | tr "\\n" " "; true'];

/** What must hold for loopback scans to mean anything: 127.0.0.1 and ::1 are delivered locally on lo. */
const LOCAL_ROUTES = {
  local4: { command: ['ip', 'route', 'get', '127.0.0.1'], expect: /^local 127\.0\.0\.1 dev lo\b/ },
  local6: { command: ['ip', '-6', 'route', 'get', '::1'], expect: /^local ::1 (from :: )?dev lo\b/ },
};

/**
 * Checks `::1` on `lo`, both iptables and ip6tables usable, every declared service listening, the lab
 * addresses up, local routes for 127.0.0.1 and ::1, and a route to each peer address; returns the state.
 * @param lab - The host's own lab addresses (they must be up) and the addresses it must be able to answer
 *   (peers and hosts behind it).
 */
export async function selfCheck(host: StartedFwprobeContainer, lab: LabAddresses = { addresses: [], peers: [] }): Promise<LabState> {
  // Past the wait the lab is recorded as it is: if the address settles during the scans, the recheck says so.
  return afterSettling(async () => {
    const { state, settling } = await checkLab(host, lab, false, []);
    return { value: state, settling };
  });
}

type LabAddresses = { addresses: readonly string[]; peers: readonly string[] };

/** The self-check after the scans, with the rule counters and `also`'s commands read in the same exec. */
export interface Recheck {
  state: LabState;
  /** Both families' `*-save -c`: the same save the check compares, with each rule's counters. */
  counters: { v4: string; v6: string } | null;
  /** One result per command of `also`, in order. */
  also: StepResult[];
}

/**
 * The self-check again, in one exec with the rule counters (the saves it reads anyway, with `-c`) and the
 * commands `also` names (a log to read): one round trip and two `*-save` runs fewer than each on its own.
 */
export async function recheckLab(host: StartedFwprobeContainer, lab: LabAddresses, also: readonly string[][], options: RecheckOptions = {}): Promise<Recheck> {
  return checkLab(host, lab, true, also, options.timeoutMs);
}

export interface RecheckOptions {
  /**
   * The exec's bound: `also`'s commands may be work with a bound of their own (opening the trace), which
   * riding in this exec must not take from the check's. @default the container's `exec` bound
   */
  timeoutMs?: number;
}

async function checkLab(host: StartedFwprobeContainer, lab: LabAddresses, counters: boolean, also: readonly string[][], timeoutMs?: number): Promise<Recheck & { settling: string[] }> {
  const peers = lab.peers;
  const tools = TOOLS[host.backend];
  const withCounters = counters ? ['-c'] : [];
  const steps = await host.runNamedBatch(
    {
      lo: ['ip', '-6', 'addr', 'show', 'dev', 'lo'],
      v4: [tools.ipv4.cli, '-w', '-S'],
      v6: [tools.ipv6.cli, '-w', '-S'],
      ss: SS_COMMAND,
      up: ['ip', '-o', 'addr', 'show', 'up'],
      save4: [tools.ipv4.save, ...withCounters],
      save6: [tools.ipv6.save, ...withCounters],
      routes4: ['ip', '-o', 'route', 'show', 'table', 'all'],
      routes6: ['ip', '-o', '-6', 'route', 'show', 'table', 'all'],
      conntrack: CONNTRACK_FILL,
      links: ['ip', '-o', 'link', 'show'],
      nft: [...NFT_LIST],
      local4: LOCAL_ROUTES.local4.command,
      local6: LOCAL_ROUTES.local6.command,
      toPeers: peers.map((address) => ['ip', 'route', 'get', address]),
      also: also.map((command) => [...command]),
    },
    { stopOnFailure: false, phase: 'the lab self-check', ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  );
  const { lo, v4, v6, ss, up, save4, save6, routes4, routes6, conntrack, links, nft } = steps;
  const problems: string[] = [];
  const [count, max] = (conntrack.stdout.trim().split(/\s+/) ?? []).map(Number);
  if (count !== undefined && max !== undefined && max > 0 && count >= 0.9 * max) {
    problems.push(
      `the connection tracking table is ${count}/${max} full: new connections may be dropped silently and read as ` +
        '"filtered". Run fewer full sweeps at once (--concurrency) or wait two minutes for entries to expire.',
    );
  }
  {
    // A script that takes the lab interface down would make the peer see "nothing": that is no firewall.
    const live = up.stdout;
    for (const address of lab.addresses) {
      const line = live.split('\n').find((l) => l.includes(` ${address}/`));
      if (!line || /tentative|dadfailed/.test(line)) {
        problems.push(
          `the lab address ${address} is not on an UP interface (ip -o addr show up: ${JSON.stringify(live.trim())}). ` +
            'Did the ruleset script change the network? Peer scans would see nothing and prove nothing.',
        );
      }
    }
  }
  if (lo.exitCode !== 0 || !/inet6 ::1\/128/.test(lo.stdout)) {
    problems.push(
      `::1 is not on lo (ip -6 addr show dev lo: exit ${lo.exitCode}, ${JSON.stringify(lo.stdout.trim())}). ` +
        'IPv6 loopback scans would prove nothing: the container needs the disable_ipv6=0 sysctls.',
    );
  }
  for (const step of [v4, v6, save4, save6, nft]) {
    // A native nft table named like iptables' own (`table ip filter`) makes `iptables -S` refuse it; the
    // nft listing reads that table, and iptables still works on the others.
    if (step.exitCode !== 0 && !INCOMPATIBLE.test(step.stderr)) {
      problems.push(`${step.command[0]} is unusable: ${describeCommandFailure(step.command, step.exitCode, step.stderr, step.stdout)}`);
    }
  }
  for (const [step, route] of [
    [steps.local4, LOCAL_ROUTES.local4],
    [steps.local6, LOCAL_ROUTES.local6],
  ] as const) {
    if (step.exitCode !== 0 || !route.expect.test(step.stdout.trim())) {
      problems.push(
        `\`${step.command.join(' ')}\` does not give a local route on lo (exit ${step.exitCode}: ` +
          `${JSON.stringify((step.stdout || step.stderr).trim())}): without it every loopback port reads filtered ` +
          'with no firewall rule at all. Did the ruleset script change the routes?',
      );
    }
  }
  for (const step of steps.toPeers) {
    if (step.exitCode !== 0 || /\b(unreachable|prohibit|blackhole)\b/.test(step.stdout)) {
      problems.push(
        `the target has no route back to ${step.command[3]} (exit ${step.exitCode}: ` +
          `${JSON.stringify((step.stdout || step.stderr).trim())}): replies to that peer would be lost by routing, not by a firewall.`,
      );
    }
  }
  for (const clock of expiringElements(nft.stdout)) problems.push(clock);
  const listening = ss.exitCode === 0 ? parseSsListening(ss.stdout) : [];
  const missing = ss.exitCode === 0 ? missingServices(host.services, listening) : [...host.services];
  if (missing.length > 0) problems.push(`services not listening: ${missing.map(listenerSpec).join(', ')}`);
  if (problems.length > 0) {
    throw new LabSelfCheckError(`Lab self-check failed in ${host.getId().slice(0, 12)}:\n- ${problems.join('\n- ')}`);
  }
  const state: LabState = {
    ruleset: { v4: normaliseSave(save4.stdout), v6: normaliseSave(save6.stdout), nft: normaliseNftListing(nft.stdout) },
    // Queue lengths move with traffic; which sockets listen where does not.
    listening: lines(ss.stdout).map((l) =>
      l
        .split(/\s+/)
        .filter((_, i) => i === 0 || i === 4)
        .join(' '),
    ),
    // Link-local addresses finish duplicate address detection whenever they do; nothing fwprobe scans uses them.
    addresses: lines(up.stdout)
      .filter((l) => !LINK_LOCAL.test(l))
      .map((l) => l.replace(/\s+(valid_lft|preferred_lft)\s+\S+/g, '').replace(/\\\s*$/, '')),
    routes: [...new Set([...lines(routes4.stdout), ...lines(routes6.stdout)])].filter((l) => !LINK_LOCAL.test(l)).map((l) => l.replace(/\s+expires\s+\S+/, '')),
    links: normaliseLinks(links.stdout),
  };
  return {
    state,
    counters: counters && save4.exitCode === 0 && save6.exitCode === 0 ? { v4: save4.stdout, v6: save6.stdout } : null,
    also: steps.also,
    settling: settlingAddresses(lines(up.stdout), lines(links.stdout)),
  };
}

/**
 * Set elements with a `timeout` that no rule adds (`add @set`/`update @set`): they came with the ruleset and
 * expire on a clock, so the ruleset the scans see is not the one the host has a little later (a ban on every
 * address for 8 s reads "filtered", then the port is open to all). The recheck cannot see it, since elements
 * of such sets are left out of the comparison as state that packets fill.
 */
export function expiringElements(listing: string): string[] {
  return parseNftListing(listing).flatMap((t) =>
    t.sets
      .filter(
        (set) =>
          (/\btimeout\b/.test(set.elements) || (set.elements !== '' && set.declaration.some((d) => /^timeout /.test(d)))) &&
          !t.chains.some((c) => c.rules.some((r) => new RegExp(`\\b(add|update) @${set.name.replace(/\W/g, '\\$&')}\\b`).test(r))),
      )
      .map(
        (set) =>
          `table ${t.family} ${t.name} set ${set.name} holds elements with a timeout that no rule adds: they ` +
          'expire on a clock, so the ports the scans see are not the ones the host has once they are gone. Write the ' +
          'elements without `timeout` to test the ruleset with them, or leave them out to test it without.',
      ),
  );
}

// Callers that read a lab's state beside the self-check import it from here as before.
export { assertLinksUntouched, assertUnchanged, normaliseLinks, normaliseSave, readLinks, type LabState } from './lab-state.ts';
