/**
 * A throwaway Linux host for one scenario, in testcontainers' shape: `FwprobeContainer` is the builder
 * (fluent `withX()`), `StartedFwprobeContainer` the running host with small helpers (exec, copy,
 * addresses, remove). What is done with a host (services, rulesets, self-check, scans) lives beside it.
 */
import { AbstractStartedContainer, GenericContainer, type StartedTestContainer } from 'testcontainers';
import { CommandFailedError, LabSelfCheckError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import type { Backend } from '../model/ruleset.ts';
import type { ServiceSpec } from '../model/scenario.ts';
import { batchCommand, parseBatchOutput, type StepResult } from './batch.ts';
import { creation, removeContainer, runLabels, trackContainer } from './cleanup.ts';
import { getDocker } from './docker.ts';
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

/** What a command run in the host gave back; never thrown for a non-zero exit. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Only NET_ADMIN, NET_RAW and NET_BIND_SERVICE; network mode `none` unless it joins a lab network. */
export class FwprobeContainer extends GenericContainer {
  #services: ServiceSpec[] = [];
  #backend: Backend = 'nft';
  #network: LabNetwork | null = null;

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
  readonly network: LabNetwork | null;

  constructor(started: StartedTestContainer, options: { services: ServiceSpec[]; backend: Backend; network: LabNetwork | null }) {
    super(started);
    this.services = options.services;
    this.backend = options.backend;
    this.network = options.network;
  }

  /** Runs a command; never throws on a non-zero exit. stdout and stderr are kept apart. */
  async run(command: string[]): Promise<ExecResult> {
    const { exitCode, stdout, stderr } = await this.exec(command);
    return { exitCode, stdout, stderr };
  }

  /** Like `run`, but a non-zero exit is a CommandFailedError with command, exit code, stdout and stderr. */
  async runOk(command: string[]): Promise<string> {
    const result = await this.run(command);
    if (result.exitCode !== 0) throw new CommandFailedError({ command, ...result });
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
      throw new CommandFailedError({ command: command.slice(0, 2), ...result }, 'A batch of commands broke off.');
    }
    return steps;
  }

  /** The container's addresses on its lab network. Throws if it has none (network mode `none`). */
  async labAddresses(): Promise<Record<Family, string>> {
    if (!this.network) throw new LabSelfCheckError('This container is not on a lab network.');
    const info = await getDocker().getContainer(this.getId()).inspect();
    const settings = info.NetworkSettings.Networks[this.network.name] as { IPAddress?: string; GlobalIPv6Address?: string } | undefined;
    if (!settings?.IPAddress || !settings.GlobalIPv6Address) {
      throw new LabSelfCheckError(
        `Container ${this.getId().slice(0, 12)} has no IPv4 and IPv6 address on lab network ` +
          `${this.network.name} (got ${JSON.stringify(settings ?? null)}). Does the engine support IPv6 networks?`,
      );
    }
    return { ipv4: settings.IPAddress, ipv6: settings.GlobalIPv6Address };
  }

  /** Removes the container at once (SIGKILL): a throwaway host has nothing to shut down cleanly. */
  async remove(): Promise<void> {
    await removeContainer(this.getId());
  }

  override async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}
