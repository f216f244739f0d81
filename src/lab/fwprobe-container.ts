import { AbstractStartedContainer, GenericContainer, type StartedTestContainer } from 'testcontainers';
import { describeCommandFailure } from '../errors.ts';
import type { Family } from '../model.ts';
import { RulesetApplyError } from '../ruleset/apply-errors.ts';
import type { ScanResult } from '../scan/parse.ts';
import { scanPorts, type ScanRequest } from '../scan/nmap.ts';
import { LabScope } from '../scan/scope.ts';
import type { ServiceSpec } from '../scenario/types.ts';
import { creation, removeContainer, runLabels, trackContainer } from './cleanup.ts';
import { batchCommand, parseBatchOutput, type StepResult } from './batch.ts';
import { getDocker } from './docker.ts';
import { LabSelfCheckError, ServiceStartError } from './errors.ts';
import { listenerSpec, missingServices, parseSsListening } from './listening.ts';
import type { LabNetwork } from './network.ts';
import { configureReaper } from './ryuk.ts';

/** Least privilege: iptables needs NET_ADMIN, nmap's raw scans NET_RAW, listeners below 1024 NET_BIND_SERVICE. */
const CAPABILITIES = ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'];
const SYSCTLS: Record<string, string> = {
  // Without these Docker gives the container no ::1, and every IPv6 loopback scan would prove nothing.
  'net.ipv6.conf.all.disable_ipv6': '0',
  'net.ipv6.conf.default.disable_ipv6': '0',
  'net.ipv6.conf.lo.disable_ipv6': '0',
  // ICMP error rate limits would turn closed UDP ports into open|filtered across the bridge.
  'net.ipv4.icmp_ratelimit': '0',
  'net.ipv6.icmp.ratelimit': '0',
};
const RULES_DIR = '/run/fwprobe';
const SS_COMMAND = ['ss', '-Hlntu'];
const LISTENER_LOG = '/run/fwprobe/listener.log';
const SERVICE_WAIT_MS = 5_000;
const SERVICE_POLL_MS = 50;

/** Which iptables implementation to use inside the container. */
export type Backend = 'nft' | 'legacy';

/** A ruleset in restore format, with where it came from (for error messages). */
export interface RulesetText {
  /** The file (or generator) it came from, as the user should read it. */
  source: string;
  text: string;
}

/** What `applyRuleset` applied, as `iptables-save` / `ip6tables-save` print it afterwards. */
export interface AppliedRuleset {
  v4: string;
  v6: string;
}

const TOOLS: Record<Backend, Record<Family, { restore: string; save: string; cli: string }>> = {
  nft: {
    ipv4: { restore: 'iptables-restore', save: 'iptables-save', cli: 'iptables' },
    ipv6: { restore: 'ip6tables-restore', save: 'ip6tables-save', cli: 'ip6tables' },
  },
  legacy: {
    ipv4: { restore: 'iptables-legacy-restore', save: 'iptables-legacy-save', cli: 'iptables-legacy' },
    ipv6: { restore: 'ip6tables-legacy-restore', save: 'ip6tables-legacy-save', cli: 'ip6tables-legacy' },
  },
};

/**
 * A throwaway Linux host for one scenario: the target of the scans, or the peer that scans it.
 * Only NET_ADMIN, NET_RAW and NET_BIND_SERVICE; network mode `none` unless it joins a lab network.
 */
export class FwprobeContainer extends GenericContainer {
  #services: ServiceSpec[] = [];
  #backend: Backend = 'nft';
  #network: LabNetwork | null = null;
  #scope = new LabScope();

  constructor(image: string) {
    super(image);
    this.withNetworkMode('none')
      .withDroppedCapabilities('ALL')
      .withAddedCapabilities(...CAPABILITIES)
      .withLabels(runLabels())
      .withStartupTimeout(30_000);
    this.hostConfig.Sysctls = { ...SYSCTLS };
  }

  /** The ports `startServices()` will make listen. @default none */
  withServices(services: ServiceSpec[]): this {
    this.#services = [...services];
    return this;
  }

  /** @default 'nft' */
  withBackend(backend: Backend): this {
    this.#backend = backend;
    return this;
  }

  /** Joins the lab's dual-stack network instead of network mode `none`. */
  withLabNetwork(network: LabNetwork): this {
    this.#network = network;
    this.withNetworkMode(network.name);
    return this;
  }

  /** The addresses this container may scan besides its own loopback. @default loopback only */
  withScope(scope: LabScope): this {
    this.#scope = scope;
    return this;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    // Tracked before start, so that Ctrl-C during startup still removes it.
    trackContainer(containerId);
  }

  override async start(): Promise<StartedFwprobeContainer> {
    await configureReaper();
    const started = new StartedFwprobeContainer(await creation(() => super.start()), {
      services: this.#services,
      backend: this.#backend,
      network: this.#network,
      scope: this.#scope,
    });
    if (this.#backend === 'legacy') {
      // Users' scripts call plain `iptables`: point it at the legacy backend, as Debian admins do.
      for (const tool of ['iptables', 'ip6tables']) {
        await started.runOk(['update-alternatives', '--set', tool, `/usr/sbin/${tool}-legacy`]);
      }
    }
    return started;
  }
}

export class StartedFwprobeContainer extends AbstractStartedContainer implements AsyncDisposable {
  readonly services: readonly ServiceSpec[];
  readonly backend: Backend;
  readonly #network: LabNetwork | null;
  readonly #scope: LabScope;

  constructor(
    started: StartedTestContainer,
    options: { services: ServiceSpec[]; backend: Backend; network: LabNetwork | null; scope: LabScope },
  ) {
    super(started);
    this.services = options.services;
    this.backend = options.backend;
    this.#network = options.network;
    this.#scope = options.scope;
  }

  /** Runs a command; never throws on a non-zero exit. stdout and stderr are kept apart. */
  async run(command: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const { exitCode, stdout, stderr } = await this.exec(command);
    return { exitCode, stdout, stderr };
  }

  /** Like `run`, but throws with command, exit code, stderr and stdout when the exit code is not 0. */
  async runOk(command: string[]): Promise<string> {
    const result = await this.run(command);
    if (result.exitCode !== 0) {
      throw new Error(describeCommandFailure(command, result.exitCode, result.stderr, result.stdout));
    }
    return result.stdout;
  }

  /** Runs several commands in one exec (see batch.ts); one result per command that ran. */
  async runBatch(commands: string[][], options: { stopOnFailure: boolean }): Promise<StepResult[]> {
    const command = batchCommand(commands, options);
    const result = await this.run(command);
    const steps = parseBatchOutput(commands, result.stdout);
    const allRan = steps.length === commands.length;
    const stoppedAtFailure = options.stopOnFailure && steps.at(-1)?.exitCode !== 0;
    // Fewer results than commands without a failure to explain it: the batch itself broke off.
    if (steps.length === 0 || (!allRan && !stoppedAtFailure) || (result.exitCode !== 0 && steps.every((step) => step.exitCode === 0))) {
      throw new Error(describeCommandFailure(command.slice(0, 2), result.exitCode, result.stderr, result.stdout));
    }
    return steps;
  }

  /** The container's addresses on its lab network. Throws if it has none (network mode `none`). */
  async labAddresses(): Promise<Record<Family, string>> {
    if (!this.#network) throw new LabSelfCheckError('This container is not on a lab network.');
    const info = await getDocker().getContainer(this.getId()).inspect();
    const settings = info.NetworkSettings.Networks[this.#network.name] as
      | { IPAddress?: string; GlobalIPv6Address?: string }
      | undefined;
    if (!settings?.IPAddress || !settings.GlobalIPv6Address) {
      throw new LabSelfCheckError(
        `Container ${this.getId().slice(0, 12)} has no IPv4 and IPv6 address on lab network ` +
          `${this.#network.name} (got ${JSON.stringify(settings ?? null)}). Does the engine support IPv6 networks?`,
      );
    }
    return { ipv4: settings.IPAddress, ipv6: settings.GlobalIPv6Address };
  }

  /** Starts the declared listeners and waits until `ss` shows every one of them. */
  async startServices(): Promise<void> {
    if (this.services.length === 0) return;
    const specs = this.services.map(listenerSpec);
    // setsid + nohup: the listener must outlive the exec session that started it.
    await this.runOk([
      'sh',
      '-c',
      `mkdir -p ${RULES_DIR} && { setsid nohup fwprobe-listener "$@" >${LISTENER_LOG} 2>&1 </dev/null & }`,
      'fwprobe-listener',
      ...specs,
    ]);
    const deadline = Date.now() + SERVICE_WAIT_MS;
    let missing = [...this.services];
    let log = '';
    while (Date.now() < deadline) {
      const [ss, cat] = await this.runBatch([SS_COMMAND, ['cat', LISTENER_LOG]], { stopOnFailure: false });
      missing = missingServices(this.services, parseSsListening(ss!.stdout));
      if (missing.length === 0) return this.probeUdpServices();
      log = cat!.stdout.trim();
      // The listener binds everything before READY and dies on the first failure: no use waiting then.
      if (/^fwprobe-listener: /m.test(log)) break;
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
  async probeUdpServices(): Promise<void> {
    const targets = this.services
      .filter((s) => s.protocol === 'udp')
      .flatMap((s) => loopbackTargets(s.bind).map((address) => `[${address}]:${s.port}`));
    if (targets.length === 0) return;
    const result = await this.run(['fwprobe-listener', '--probe', ...targets]);
    if (result.exitCode !== 0) {
      throw new ServiceStartError(
        `UDP services do not answer on loopback before any ruleset is applied:\n${result.stdout.trim()}\n` +
          describeCommandFailure(['fwprobe-listener', '--probe', ...targets], result.exitCode, result.stderr, ''),
      );
    }
  }

  /**
   * Applies a v4 and a v6 ruleset in restore format. Both are checked with `--test` before either is
   * applied, so a bad line leaves the firewall as it was. `null` for a family leaves it untouched (all
   * ACCEPT), which is how a v4-only firewall looks.
   */
  async applyRuleset(rules: { v4: RulesetText | null; v6: RulesetText | null }): Promise<AppliedRuleset> {
    const staged = (['ipv4', 'ipv6'] as const).flatMap((family) => {
      const ruleset = family === 'ipv4' ? rules.v4 : rules.v6;
      return ruleset ? [{ family, ruleset, file: `${RULES_DIR}/rules.${family === 'ipv4' ? 'v4' : 'v6'}` }] : [];
    });
    if (staged.length > 0) {
      await this.copyContentToContainer(staged.map(({ ruleset, file }) => ({ content: ruleset.text, target: file, mode: 0o600 })));
    }
    const tools = TOOLS[this.backend];
    const steps = [
      ...staged.map(({ family, file }) => [tools[family].restore, '--test', file]),
      ...staged.map(({ family, file }) => [tools[family].restore, file]),
      [tools.ipv4.save],
      [tools.ipv6.save],
    ];
    const results = await this.runBatch(steps, { stopOnFailure: true });
    const failed = results.find((step) => step.exitCode !== 0);
    if (failed) {
      const index = results.indexOf(failed);
      const entry = index < 2 * staged.length ? staged[index % staged.length] : undefined;
      if (!entry) throw new Error(describeCommandFailure(failed.command, failed.exitCode, failed.stderr, failed.stdout));
      throw new RulesetApplyError({ family: entry.family, source: entry.ruleset.source, text: entry.ruleset.text, ...failed });
    }
    return { v4: stripSaveComments(results.at(-2)!.stdout), v6: stripSaveComments(results.at(-1)!.stdout) };
  }

  /** The live ruleset of both families, as the backend's `*-save` prints it. */
  async savedRuleset(): Promise<AppliedRuleset> {
    const tools = TOOLS[this.backend];
    const [v4, v6] = await this.runBatch([[tools.ipv4.save], [tools.ipv6.save]], { stopOnFailure: false });
    for (const step of [v4!, v6!]) {
      if (step.exitCode !== 0) throw new Error(describeCommandFailure(step.command, step.exitCode, step.stderr, step.stdout));
    }
    return { v4: stripSaveComments(v4!.stdout), v6: stripSaveComments(v6!.stdout) };
  }

  /**
   * Proves the lab can answer the questions a scenario asks, before any scan: `::1` on `lo`, both
   * iptables and ip6tables usable with this backend, and every declared service listening. A failure
   * ends the scenario in `error`, never in a pass.
   */
  async selfCheck(): Promise<void> {
    const tools = TOOLS[this.backend];
    const [lo, v4, v6, ss, up] = await this.runBatch(
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
    if (this.#network) {
      // A script that takes the lab interface down would make the peer see "nothing": that is no firewall.
      const live = up!.stdout;
      for (const address of Object.values(await this.labAddresses())) {
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
      ss!.exitCode === 0 ? missingServices(this.services, parseSsListening(ss!.stdout)) : [...this.services];
    if (missing.length > 0) problems.push(`services not listening: ${missing.map(listenerSpec).join(', ')}`);
    if (problems.length > 0) {
      throw new LabSelfCheckError(`Lab self-check failed in ${this.getId().slice(0, 12)}:\n- ${problems.join('\n- ')}`);
    }
  }

  /**
   * The N most frequently open ports of a protocol, from this image's nmap-services: the same list
   * `--top-ports N` scans, made explicit so that every port can be reported and checked.
   */
  async topPorts(protocol: 'tcp' | 'udp', count: number): Promise<number[]> {
    const stdout = await this.runOk([
      'sh',
      '-c',
      `grep -v '^#' /usr/share/nmap/nmap-services | awk -v p="/${protocol}" '$2 ~ p"$" { split($2, a, "/"); print $3, a[1] }' | sort -k1,1gr -k2,2n | head -n "$1"`,
      'top-ports',
      String(count),
    ]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => Number(line.split(' ')[1]))
      .sort((a, b) => a - b);
  }

  /** Runs nmap in this container. The target must be in this container's scope. */
  async scan(request: ScanRequest): Promise<ScanResult> {
    return scanPorts((command) => this.run(command), request, this.#scope);
  }

  /** Removes the container at once (SIGKILL): a throwaway host has nothing to shut down cleanly. */
  async remove(): Promise<void> {
    await removeContainer(this.getId());
  }

  override async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
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

/** `*-save` prints dates and counters in comments; they would make saved rulesets differ run to run. */
function stripSaveComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}
