/**
 * A throwaway Linux host for one scenario, in testcontainers' shape: `FwprobeContainer` is the builder
 * (fluent `withX()`), `StartedFwprobeContainer` the running host with small helpers (exec, copy,
 * addresses, remove). What is done with a host (services, rulesets, self-check, scans) lives beside it.
 */
import { AbstractStartedContainer, GenericContainer, type StartedTestContainer } from 'testcontainers';
import { type Bounds, DEFAULT_BOUNDS } from '../model/bounds.ts';
import { withDeadline } from '../model/deadline.ts';
import { CommandFailedError } from '../model/errors.ts';
import type { Backend } from '../model/ruleset.ts';
import type { ServiceSpec } from '../model/scenario.ts';
import type { StepResult } from './batch.ts';
import { layoutBatch, nameAllSteps, nameStoppedSteps, type BatchSpec, type BatchSteps, type StoppedBatch } from './batch-named.ts';
import { creation, removeContainer, runLabels, trackContainer } from './cleanup.ts';
import { getDocker } from './docker.ts';
import { ContainerCommands, type ExecOptions, type ExecResult } from './container-commands.ts';
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

export type { ExecOptions, ExecResult } from './container-commands.ts';

/**
 * Only NET_ADMIN, NET_RAW and NET_BIND_SERVICE, network mode `none`: the lab's interfaces are wired in after
 * start (see wiring.ts), never a Docker network, so nothing of the host is reachable from a lab container.
 */
export class FwprobeContainer extends GenericContainer {
  #services: ServiceSpec[] = [];
  #backend: Backend = 'nft';
  #bounds: Bounds = { ...DEFAULT_BOUNDS };
  #agent = true;
  readonly #image: string;

  constructor(image: string) {
    super(image);
    this.#image = image;
    this.withNetworkMode('none')
      .withDroppedCapabilities('ALL')
      .withAddedCapabilities(...CAPABILITIES)
      .withLabels(runLabels())
      .withStartupTimeout(30_000);
    this.hostConfig.Sysctls = { ...SYSCTLS };
    // No libnetwork sandbox at all, only the container's own network namespace with lo: dockerd 20.10
    // deadlocks (controller lock against the `none` network's lock) when many containers on one network
    // start and exit at once, and fwprobe wires every interface itself (see wiring.ts).
    this.createOpts.NetworkDisabled = true;
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

  /**
   * Shares another container's network namespace (and nothing else): what runs here changes that
   * container's rules, addresses and routes, but cannot touch its files or processes. Only NET_ADMIN and
   * NET_RAW (legacy iptables needs it), and no sysctls, which would be written into the other namespace.
   */
  withNetworkNamespaceOf(other: StartedFwprobeContainer): this {
    this.withNetworkMode(`container:${other.getId()}`);
    // Joining another namespace needs the network part of the container spec.
    this.createOpts.NetworkDisabled = false;
    this.hostConfig.CapAdd = ['NET_ADMIN', 'NET_RAW'];
    delete this.hostConfig.Sysctls;
    // The script sidecar: its leftover check kills every process but its own ancestors, which would take
    // another command's agent process along. It runs a few commands; each is an exec of its own.
    this.#agent = false;
    return this;
  }

  /** IPv4 and IPv6 forwarding on, for a target with role `router`. @default off */
  withForwarding(): this {
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '1' };
    return this;
  }

  /**
   * Binding to an IPv6 address the host does not have, for a peer: it sends datagrams claiming the target's
   * own addresses (scan/probe/shapes/spoof.ts), which it cannot hold itself (they would be local to it). @default off
   */
  withNonlocalBind(): this {
    this.hostConfig.Sysctls = { ...this.hostConfig.Sysctls, 'net.ipv6.ip_nonlocal_bind': '1' };
    return this;
  }

  /**
   * The host's process namespace, for the lab switch only: it moves one end of each veth pair into a lab
   * container's network namespace by that container's pid. It runs nothing but fwprobe's own `ip` commands.
   */
  withHostPid(): this {
    this.hostConfig.PidMode = 'host';
    // One batch of `ip` commands is all it runs: starting an agent would cost more than it saves.
    this.#agent = false;
    return this;
  }

  /** Bounds for starting the container and for every command run in it. @default DEFAULT_BOUNDS */
  withBounds(bounds: Bounds): this {
    this.#bounds = { ...bounds };
    return this;
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    // Tracked before start, so that Ctrl-C during startup still removes it.
    trackContainer(containerId);
  }

  override async start(): Promise<StartedFwprobeContainer> {
    await configureReaper();
    const ms = this.#bounds.containerStart;
    const container = await withDeadline(
      creation(() => super.start()),
      ms,
      'starting a container',
      'containerStart',
    );
    const started = new StartedFwprobeContainer(container, {
      services: this.#services,
      backend: this.#backend,
      bounds: this.#bounds,
      image: this.#image,
      agent: this.#agent,
    });
    // The agent starts now, beside the lab's other containers starting: not on the first command's time.
    started.warmUp();
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
  readonly bounds: Bounds;
  /** The image it runs, for helpers that need a sibling (the script sidecar). */
  readonly image: string;

  /** How commands run: through the agent (agent.ts) while it lives, else as execs. */
  readonly #commands: ContainerCommands;

  constructor(started: StartedTestContainer, options: { services: ServiceSpec[]; backend: Backend; bounds?: Bounds; image?: string; agent?: boolean }) {
    super(started);
    this.image = options.image ?? '';
    this.services = options.services;
    this.backend = options.backend;
    this.bounds = options.bounds ?? { ...DEFAULT_BOUNDS };
    const exec = async (command: string[]): Promise<ExecResult> => {
      const { exitCode, stdout, stderr } = await this.exec(command);
      return { exitCode, stdout, stderr };
    };
    this.#commands = new ContainerCommands({ id: this.getId(), bounds: this.bounds, exec }, { agent: options.agent !== false });
  }

  /**
   * Runs a command under a bound; never throws on a non-zero exit (stdout and stderr kept apart), but a
   * command that outlives its bound is stopped inside the container and is a TimeoutError.
   */
  run(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.#commands.run(command, options);
  }

  /** Starts the command channel (agent.ts) if it is not started yet; commands wait for it either way. */
  warmUp(): void {
    this.#commands.warmUp();
  }

  /** Like `run`, but a non-zero exit is a CommandFailedError with command, exit code, stdout and stderr. */
  async runOk(command: string[], options: ExecOptions = {}): Promise<string> {
    const result = await this.run(command, options);
    if (result.exitCode !== 0) throw new CommandFailedError({ command, ...result });
    return result.stdout;
  }

  /**
   * Runs several commands one after another, each with its own exit code, stdout and stderr, under one bound:
   * in the agent, else as one exec (batch.ts). One result per command that ran; a batch that broke off throws.
   */
  runBatch(commands: string[][], options: { stopOnFailure: boolean } & ExecOptions): Promise<StepResult[]> {
    return this.#commands.runBatch(commands, options);
  }

  /**
   * Like `runBatch`, one exec, with the steps read back by name (batch-named.ts). Without `stopOnFailure`
   * every step is there; with it, the step that stopped the batch is named and the later ones are absent.
   */
  async runNamedBatch<S extends BatchSpec>(spec: S, options: { stopOnFailure: false } & ExecOptions): Promise<BatchSteps<S>>;
  async runNamedBatch<S extends BatchSpec>(spec: S, options: { stopOnFailure: true } & ExecOptions): Promise<StoppedBatch<S>>;
  async runNamedBatch<S extends BatchSpec>(spec: S, options: { stopOnFailure: boolean } & ExecOptions): Promise<BatchSteps<S> | StoppedBatch<S>> {
    const steps = await this.runBatch(layoutBatch(spec).commands, options);
    return options.stopOnFailure ? nameStoppedSteps(spec, steps) : nameAllSteps(spec, steps);
  }

  /** The container's process id on the engine's host, which the lab switch wires interfaces into. */
  async hostPid(): Promise<number> {
    const info = await withDeadline(getDocker().getContainer(this.getId()).inspect(), this.bounds.exec, "reading a container's pid", 'exec');
    return info.State.Pid;
  }

  // Copies go through the engine like every exec: a hung engine must end in a TimeoutError, not a hang.
  override async copyContentToContainer(...args: Parameters<AbstractStartedContainer['copyContentToContainer']>): Promise<void> {
    await withDeadline(super.copyContentToContainer(...args), this.bounds.exec, 'copying files into a container', 'exec');
  }

  override async copyFilesToContainer(...args: Parameters<AbstractStartedContainer['copyFilesToContainer']>): Promise<void> {
    await withDeadline(super.copyFilesToContainer(...args), this.bounds.exec, 'copying files into a container', 'exec');
  }

  override async copyDirectoriesToContainer(...args: Parameters<AbstractStartedContainer['copyDirectoriesToContainer']>): Promise<void> {
    await withDeadline(super.copyDirectoriesToContainer(...args), this.bounds.exec, 'copying a folder into a container', 'exec');
  }

  /** Removes the container at once (SIGKILL): a throwaway host has nothing to shut down cleanly. */
  async remove(): Promise<void> {
    // Closed first: the removal would end its stream anyway, and fail whatever it still ran.
    this.#commands.close();
    await withDeadline(removeContainer(this.getId()), this.bounds.cleanup, `removing container ${this.getId().slice(0, 12)}`, 'cleanup');
  }

  override async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}
