/**
 * Proves the lab can answer the questions a scenario asks, and records what it looked like: run before the
 * scans (a failure ends the scenario in `error`, never in a pass) and again after them, where any
 * difference (rules, listeners, addresses, routes) means the scans saw another host than the one recorded.
 */
import { describeCommandFailure } from '../model/command-text.ts';
import { LabChangedError, LabSelfCheckError } from '../model/errors.ts';
import { normaliseNftListing, parseNftListing } from '../ruleset/nft-listing.ts';
import { NFT_LIST } from './apply-nft.ts';
import { TOOLS } from './apply-ruleset.ts';
import type { StepResult } from './batch.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { afterSettling, SETTLE_MS, settlingAddresses } from './dad.ts';
import { listenerSpec, missingServices, parseSsListening, SS_COMMAND } from './listening.ts';

/** The parts of the target that a verdict depends on, normalised so that two snapshots compare as text. */
export interface LabState {
  /** `*-save` of both families, and every table as `nft -s list ruleset` prints it (native nft tables too). */
  ruleset: { v4: string; v6: string; nft: string };
  listening: string[];
  addresses: string[];
  routes: string[];
  /** `ip -o link`: interfaces with their MTU and queueing discipline (a shaper on lo would slow every probe). */
  links: string[];
}

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
export async function recheckLab(host: StartedFwprobeContainer, lab: LabAddresses, also: readonly string[][]): Promise<Recheck> {
  return checkLab(host, lab, true, also);
}

async function checkLab(host: StartedFwprobeContainer, lab: LabAddresses, counters: boolean, also: readonly string[][]): Promise<Recheck & { settling: string[] }> {
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
    { stopOnFailure: false, phase: 'the lab self-check' },
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

/** `ip -o link show`, without what moves with traffic (counters, the link-layer address line). */
export function normaliseLinks(stdout: string): string[] {
  return lines(stdout).map((l) => l.replace(/\\\s+link\/.*$/, '').trim());
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

/** The target's interfaces now (name, flags, MTU, qdisc), as `LabState.links` has them. */
export async function readLinks(host: StartedFwprobeContainer): Promise<string[]> {
  return normaliseLinks(await host.runOk(['ip', '-o', 'link', 'show'], { phase: 'reading the interfaces' }));
}

/**
 * A ruleset is rules: one that also shapes, resizes or downs an interface (a `tc` shaper, an MTU of 68)
 * makes ports read filtered with no firewall rule at all, so that is an error naming the change.
 */
export function assertLinksUntouched(beforeRuleset: readonly string[], afterRuleset: readonly string[]): void {
  const changes = diff('interfaces', beforeRuleset, afterRuleset);
  if (changes.length > 0) {
    throw new LabSelfCheckError(
      `Applying the ruleset changed the target's interfaces, not only its rules:\n- ${changes.join('\n- ')}\n` +
        'A queueing discipline, MTU or link state can make ports read filtered without any firewall rule: ' +
        'keep such commands out of the ruleset fwprobe tests.',
    );
  }
}

/** Throws LabChangedError naming every difference between the state before and after the scans. */
export function assertUnchanged(before: LabState, after: LabState): void {
  const changes = [
    ...diff('iptables rules (v4)', lines(before.ruleset.v4), lines(after.ruleset.v4)),
    ...diff('ip6tables rules (v6)', lines(before.ruleset.v6), lines(after.ruleset.v6)),
    ...diff('nft ruleset', lines(before.ruleset.nft), lines(after.ruleset.nft)),
    ...diff('listening sockets', before.listening, after.listening),
    ...diff('addresses', before.addresses, after.addresses),
    ...diff('routes', before.routes, after.routes),
    ...diff('interfaces', before.links, after.links),
  ];
  if (changes.length > 0) {
    throw new LabChangedError(
      `The target changed while it was scanned, so the observations do not describe the recorded ruleset:\n- ` +
        `${changes.join('\n- ')}\n${before.addresses.some((l) => /\btentative\b/.test(l)) ? DAD_HINT : 'Something still running in the target (a job the ruleset left behind?) changed it.'}`,
    );
  }
}

const DAD_HINT =
  `An IPv6 address was still tentative (duplicate address detection) ${SETTLE_MS / 1000} s after the lab was up, and ` +
  'settled during the scans; run again on a less loaded machine, or add the address with `nodad` in the ruleset script.';

function diff(what: string, before: readonly string[], after: readonly string[]): string[] {
  const gone = before.filter((l) => !after.includes(l));
  const added = after.filter((l) => !before.includes(l));
  return [...gone.map((l) => `${what}: gone: ${l}`), ...added.map((l) => `${what}: new: ${l}`)];
}

/** Comments carry dates, and counters move with every packet: neither is part of the ruleset. */
export function normaliseSave(text: string): string {
  return (
    lines(text)
      .filter((l) => !l.startsWith('#'))
      // `*-save -c` puts a rule's counters in front of it.
      .map((l) => l.replace(/ \[\d+:\d+\]$/, '').replace(/^\[\d+:\d+\] /, ''))
      .sort()
      .join('\n')
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .sort();
}
