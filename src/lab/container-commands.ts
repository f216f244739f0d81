/**
 * How a lab container runs commands under a bound, one by one or in batches: through its agent (agent.ts)
 * while it lives, which keeps the bound and runs a batch's steps itself, with no process but the commands';
 * else as execs wrapped in coreutils `timeout`, a batch as one bash script (batch.ts). Either way a command
 * that outlives its bound is stopped inside the container and is a TimeoutError, and a batch that broke off
 * is an error, never fewer results passed off as all of them.
 */
import type { Bounds } from '../model/bounds.ts';
import { boundOption } from '../model/bounds.ts';
import { withDeadline } from '../model/deadline.ts';
import { CommandFailedError, TimeoutError } from '../model/errors.ts';
import { AgentChannel } from './agent.ts';
import { batchCommand, parseBatchOutput, type StepResult } from './batch.ts';

/** What a command run in the host gave back; never thrown for a non-zero exit. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** How long a command may run, and what to call it when it does not end. */
export interface ExecOptions {
  /** @default the container's `exec` bound */
  timeoutMs?: number;
  /** Named in the TimeoutError. @default the command's first word */
  phase?: string;
  /** Which bound the user raises to allow more. @default 'exec' */
  bound?: keyof Bounds;
}

/** `timeout`'s exit codes for a command it had to stop (TERM, then KILL); the agent reports the same. */
const TIMED_OUT = new Set([124, 137]);
/** Seconds from TERM to KILL for a command that outlives its bound (`timeout -k`). */
const KILL_AFTER_S = 2;
/** The JS-side deadline fires this much after the in-container one, which should always win. */
const DEADLINE_MARGIN_MS = 5_000;

/** The bound a command runs under: the agent's seconds, and what a TimeoutError names. */
interface Bound {
  seconds: number;
  killAfterSeconds: number;
  phase: string;
  ms: number;
  name: keyof Bounds;
}

/** Where a container's commands go: its id, bounds, and a plain exec (`docker exec`). */
export interface CommandTarget {
  id: string;
  bounds: Bounds;
  exec(command: string[]): Promise<ExecResult>;
}

export class ContainerCommands {
  readonly #target: CommandTarget;
  /** The command channel, started with the first command (or by warmUp); null: each command is an exec. */
  #channel: Promise<AgentChannel | null> | null;

  constructor(target: CommandTarget, options: { agent: boolean }) {
    this.#target = target;
    this.#channel = options.agent ? null : Promise.resolve(null);
  }

  /**
   * Starts the command channel if it is not started yet; commands wait for it either way. An engine that
   * cannot start it, or does not answer its exec within the exec bound, is no error here: each command is
   * then an exec, under its own bound, which says what is wrong.
   */
  warmUp(): void {
    if (this.#channel) return;
    const { id, bounds } = this.#target;
    const starting = AgentChannel.start(id, bounds.exec);
    // A channel that comes up after its start was given up on is closed at once: nothing waits for it.
    const late = () =>
      void starting.then(
        (channel) => channel?.close(),
        () => {},
      );
    this.#channel = withDeadline(starting, bounds.exec, `starting fwprobe's command channel in ${id.slice(0, 12)}`, 'exec', late).catch(() => null);
  }

  /** Closes the channel (the agent exits); what it still runs is failed. */
  close(): void {
    void this.#channel?.then((channel) => channel?.close());
  }

  /** See StartedFwprobeContainer.run. */
  async run(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const bounded = this.#bounded(options, `\`${command[0] ?? ''}\` in ${this.#target.id.slice(0, 12)}`);
    return bounded(async (bound, givenUp) => {
      const channel = await this.#live();
      // The channel came (or was given up on) after this command's deadline: its caller has its TimeoutError.
      if (givenUp()) throw new TimeoutError(bound.phase, bound.ms, boundOption(bound.name));
      if (channel) return channel.run(command, bound);
      // coreutils `timeout` stops the command in the container; the JS deadline covers a docker that hangs.
      return this.#target.exec(['timeout', '-k', String(bound.killAfterSeconds), `${bound.seconds}s`, ...command]);
    });
  }

  /** See StartedFwprobeContainer.runBatch. */
  async runBatch(commands: string[][], options: { stopOnFailure: boolean } & ExecOptions): Promise<StepResult[]> {
    const phase = `a batch of ${commands.map((c) => c[0]).join(', ')}`;
    // No commands: the script's answer (a batch that broke off), as it always was. The channel is waited
    // for under the batch's own deadline, as a run's is: a hung engine must not hang the batch.
    const ms = (options.timeoutMs ?? this.#target.bounds.exec) + DEADLINE_MARGIN_MS;
    const channel = commands.length > 0 ? await withDeadline(this.#live(), ms, options.phase ?? phase, options.bound ?? 'exec') : null;
    if (!channel) return this.#scriptBatch(commands, options);
    const bounded = this.#bounded(options, phase);
    const reply = await bounded((bound) => channel.batch(commands, { ...bound, stopOnFailure: options.stopOnFailure }));
    const steps = reply.steps.map((step, i) => ({ command: [...commands[i]!], ...step }));
    return checkBatch(commands, steps, options, { command: ['fwprobe-agent', 'batch'], exitCode: reply.exitCode, stdout: '', stderr: '' });
  }

  /** Without an agent: one exec of a bash script under `timeout`. */
  async #scriptBatch(commands: string[][], options: { stopOnFailure: boolean } & ExecOptions): Promise<StepResult[]> {
    const command = batchCommand(commands, options);
    const result = await this.run(command, { phase: `a batch of ${commands.map((c) => c[0]).join(', ')}`, ...options });
    return checkBatch(commands, parseBatchOutput(commands, result.stdout), options, { command: command.slice(0, 2), ...result });
  }

  /** The channel while it lives; null once it ended or where there is none. */
  async #live(): Promise<AgentChannel | null> {
    this.warmUp();
    const channel = await this.#channel;
    return channel?.alive ? channel : null;
  }

  /**
   * Runs `work` under the options' bound (in the container) and a JS deadline beyond it (a hung engine);
   * a result with `timeout`'s exit code that also ran for the whole bound is a TimeoutError.
   */
  #bounded(options: ExecOptions, defaultPhase: string) {
    const ms = options.timeoutMs ?? this.#target.bounds.exec;
    const bound = options.bound ?? 'exec';
    const phase = options.phase ?? defaultPhase;
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return async <R extends { exitCode: number }>(work: (bound: Bound, givenUp: () => boolean) => Promise<R>): Promise<R> => {
      const t0 = Date.now();
      let over = false;
      const given = { seconds, killAfterSeconds: KILL_AFTER_S, phase, ms, name: bound };
      const result = await withDeadline(
        work(given, () => over),
        ms + DEADLINE_MARGIN_MS,
        phase,
        bound,
        () => (over = true),
      );
      // A command may exit 124 by itself: only one that also ran for the whole bound was stopped.
      if (TIMED_OUT.has(result.exitCode) && Date.now() - t0 >= ms - 50) throw new TimeoutError(phase, ms, boundOption(bound));
      return result;
    };
  }
}

/**
 * The batch's results, or a CommandFailedError when it broke off: fewer results than commands without a
 * failure to explain them, none at all, or a failed batch whose every step succeeded.
 */
function checkBatch(
  commands: readonly (readonly string[])[],
  steps: StepResult[],
  options: { stopOnFailure: boolean },
  batch: { command: string[]; exitCode: number; stdout: string; stderr: string },
): StepResult[] {
  const allRan = steps.length === commands.length;
  const stoppedAtFailure = options.stopOnFailure && steps.at(-1)?.exitCode !== 0;
  if (steps.length === 0 || (!allRan && !stoppedAtFailure) || (batch.exitCode !== 0 && steps.every((step) => step.exitCode === 0))) {
    throw new CommandFailedError(batch, 'A batch of commands broke off.');
  }
  return steps;
}
