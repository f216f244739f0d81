/**
 * One exec per container instead of one per command. A `docker exec` is a round trip through dockerd,
 * containerd and a new runc process: measured ~100 ms and ~160 ms of CPU each on the 2-core machine, and a
 * scenario made about 24. The image's `fwprobe-agent` (containers/target/agent.pl) is started once, in an
 * exec whose stdin stays open, and runs each command sent to it as its own process (argv, no shell), several
 * at once. It keeps each command's bound itself (as `timeout` would) and runs a batch's steps itself, so a
 * command costs no process but its own. Where it cannot start (an image without it), the container execs as before.
 */
import { PassThrough, type Duplex } from 'node:stream';
import { CommandOutputError } from '../model/errors.ts';
import { getDocker } from './docker.ts';
import { LineSplitter } from './agent-lines.ts';
import { batchRequest, readBatchReply, readRunReply, runRequest, type AgentBatchResult, type AgentBound, type AgentFailure, type AgentResult } from './agent-protocol.ts';

export type { AgentBatchResult, AgentBound, AgentResult } from './agent-protocol.ts';

// A request waiting for its reply: `read` makes its result from the reply's fields (null: unreadable).
type Pending = {
  command: readonly string[];
  read: (fields: readonly string[]) => AgentResult | AgentBatchResult | AgentFailure | null;
  resolve: (r: never) => void;
  reject: (e: Error) => void;
};

// What the agent prints on its stderr (a perl error): kept for the message when it ends.
const STDERR_KEPT = 4096;

export class AgentChannel {
  readonly #id: string;
  readonly #stream: Duplex;
  readonly #pending = new Map<number, Pending>();
  #next = 1;
  readonly #lines = new LineSplitter();
  #stderr = '';
  #ended: string | null = null;
  #ready: (ok: boolean) => void = () => {};

  private constructor(id: string, stream: Duplex) {
    this.#id = id;
    this.#stream = stream;
  }

  /**
   * Starts the agent in the container; null when it does not say it is ready within `timeoutMs` (no agent in
   * the image, or an engine that cannot attach stdin): the caller then runs each command as its own exec.
   */
  static async start(containerId: string, timeoutMs: number): Promise<AgentChannel | null> {
    const container = getDocker().getContainer(containerId);
    const exec = await container.exec({ Cmd: ['fwprobe-agent'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const channel = new AgentChannel(containerId, stream);
    const ready = new Promise<boolean>((resolve) => (channel.#ready = resolve));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    getDocker().modem.demuxStream(stream, stdout, stderr);
    stdout.setEncoding('utf8').on('data', (chunk: string) => channel.#read(chunk));
    stderr.setEncoding('utf8').on('data', (chunk: string) => (channel.#stderr = (channel.#stderr + chunk).slice(-STDERR_KEPT)));
    stream.on('end', () => channel.#end('the stream ended'));
    stream.on('close', () => channel.#end('the stream closed'));
    stream.on('error', (error: Error) => channel.#end(error.message));
    const timer = setTimeout(() => channel.#ready(false), timeoutMs);
    const ok = await ready.finally(() => clearTimeout(timer));
    if (ok) {
      channel.#idle();
      return channel;
    }
    channel.close();
    return null;
  }

  /** Whether commands can still be sent: false once the agent or its stream ended. */
  get alive(): boolean {
    return this.#ended === null;
  }

  /**
   * Runs one command (argv) in the container under `bound`, which the agent keeps as `timeout` would (exit
   * 124, or 137 after KILL); several may run at once.
   */
  run(command: readonly string[], bound: AgentBound): Promise<AgentResult> {
    return this.#request(command, (id) => runRequest(id, command, bound), readRunReply);
  }

  /**
   * Runs commands one after another in the agent, each with its own exit code, stdout and stderr, all under
   * one bound (exit 124 or 137 when it fired, and the batch ends there); with `stopOnFailure` the batch ends
   * at the first command that fails.
   */
  batch(commands: readonly (readonly string[])[], options: AgentBound & { stopOnFailure: boolean }): Promise<AgentBatchResult> {
    const label = ['batch', ...commands.map((command) => command[0] ?? '')];
    return this.#request(
      label,
      (id) => batchRequest(id, commands, options),
      (fields) => readBatchReply(fields, commands.length),
    );
  }

  #request<R extends AgentResult | AgentBatchResult>(command: readonly string[], line: (id: number) => string, read: (fields: readonly string[]) => R | AgentFailure | null): Promise<R> {
    if (this.#ended !== null) return Promise.reject(this.#gone(command));
    const id = this.#next++;
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(id, { command, read, resolve: resolve as (r: never) => void, reject });
      // A request keeps node alive until it is answered; an idle channel does not hold a finished run open.
      this.#socket()?.ref();
      this.#stream.write(`${line(id)}\n`);
    });
  }

  /** Closes the agent's stdin (it exits); commands still pending are failed. */
  close(): void {
    this.#stream.end();
    this.#end('it was closed');
  }

  #read(chunk: string): void {
    for (const line of this.#lines.push(chunk)) if (!this.#line(line)) return;
  }

  /** One line from the agent; false when it cannot be read (the channel is ended). */
  #line(line: string): boolean {
    if (line === '#ready') {
      this.#ready(true);
      return true;
    }
    const [id, ...fields] = line.split(' ');
    const pending = this.#pending.get(Number(id));
    const reply = pending?.read(fields) ?? null;
    if (!pending || reply === null) {
      this.#end(`it printed a line fwprobe cannot read: ${JSON.stringify(line.slice(0, 200))}`);
      return false;
    }
    this.#pending.delete(Number(id));
    this.#idle();
    if ('failed' in reply) {
      // The agent could not run it (no fork, no output file): an exit code here would pass for the command's.
      pending.reject(new CommandOutputError(`\`${pending.command.join(' ').slice(0, 200)}\` in ${this.#id.slice(0, 12)} did not run: ${reply.failed.trim()}`));
      return true;
    }
    pending.resolve(reply as never);
    return true;
  }

  #end(why: string): void {
    if (this.#ended !== null) return;
    this.#ended = `${why}${this.#stderr.trim() ? ` (the agent said: ${this.#stderr.trim()})` : ''}`;
    this.#ready(false);
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(this.#gone(pending.command));
    }
  }

  #gone(command: readonly string[]): CommandOutputError {
    return new CommandOutputError(
      `\`${command.join(' ').slice(0, 200)}\` in ${this.#id.slice(0, 12)} gave no result: fwprobe's command channel into the container ended (${this.#ended}). ` +
        'A ruleset script that kills processes it did not start, or a container that stopped, ends it.',
    );
  }

  #idle(): void {
    if (this.#pending.size === 0) this.#socket()?.unref();
  }

  #socket(): { ref(): void; unref(): void } | null {
    const s = this.#stream as unknown as { ref?: () => void; unref?: () => void };
    return typeof s.ref === 'function' && typeof s.unref === 'function' ? (s as { ref(): void; unref(): void }) : null;
  }
}
