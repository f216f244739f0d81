/**
 * The agent's line protocol (containers/target/agent.pl), as pure functions: the request lines fwprobe
 * writes and the reply lines it reads back. Arguments and outputs travel base64 and every other field is
 * digits, so no byte of either can fake a field; a reply that is not exactly this shape is unreadable.
 */

/** What a command gave back: as an exec reports it. */
export interface AgentResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A batch's reply: its own exit code (0, or the bound's 124/137) and one result per command that ran. */
export interface AgentBatchResult {
  exitCode: number;
  steps: AgentResult[];
}

/** The bound the agent keeps, as `timeout -k KILL SECONDS` does. */
export interface AgentBound {
  /** TERM to the command's process group after this many seconds (at least 1). */
  seconds: number;
  /** KILL this many seconds after TERM, if it has not ended (at least 1). */
  killAfterSeconds: number;
}

/** The agent could not run the request (no fork, no output file): its message, never an exit code. */
export interface AgentFailure {
  failed: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const text = (field: string): string => Buffer.from(field, 'base64').toString('utf8');
const EXIT = /^\d+$/;
// What Buffer decodes quietly but the agent never writes: a field that is not base64 is no output of its.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function boundFields(bound: AgentBound): string {
  return `${Math.max(1, Math.ceil(bound.seconds))} ${Math.max(1, Math.ceil(bound.killAfterSeconds))}`;
}

/** The request line (without its newline) that runs one command (argv) under a bound. */
export function runRequest(id: number, command: readonly string[], bound: AgentBound): string {
  return `${id} run ${boundFields(bound)} ${command.map(b64).join(' ')}`;
}

/** The request line that runs commands one after another under one bound, stopping at a failure if asked. */
export function batchRequest(id: number, commands: readonly (readonly string[])[], options: AgentBound & { stopOnFailure: boolean }): string {
  const steps = commands.map((command) => `${command.length} ${command.map(b64).join(' ')}`);
  return `${id} batch ${boundFields(options)} ${options.stopOnFailure ? 1 : 0} ${steps.join(' ')}`;
}

/** A failure reply (`- '' MESSAGE`), or undefined when the reply is not one; null when it is malformed. */
function readFailure(fields: readonly string[]): AgentFailure | null | undefined {
  if (fields[0] !== '-') return undefined;
  if (fields.length !== 3 || fields[1] !== '' || !BASE64.test(fields[2]!)) return null;
  return { failed: text(fields[2]!) };
}

/** A run's reply fields (after the id): its result, the agent's failure, or null when it is not readable. */
export function readRunReply(fields: readonly string[]): AgentResult | AgentFailure | null {
  const failure = readFailure(fields);
  if (failure !== undefined) return failure;
  const [exit, out, err] = fields;
  if (fields.length !== 3 || !EXIT.test(exit!) || !BASE64.test(out!) || !BASE64.test(err!)) return null;
  return { exitCode: Number(exit), stdout: text(out!), stderr: text(err!) };
}

/**
 * A batch's reply fields (after the id): one result per command that ran (never more than `count`), the
 * agent's failure, or null when it is not readable.
 */
export function readBatchReply(fields: readonly string[], count: number): AgentBatchResult | AgentFailure | null {
  const failure = readFailure(fields);
  if (failure !== undefined) return failure;
  const [exit, ...rest] = fields;
  if (!EXIT.test(exit ?? '') || rest.length % 3 !== 0 || rest.length / 3 > count) return null;
  const steps: AgentResult[] = [];
  for (let i = 0; i < rest.length; i += 3) {
    const [code, out, err] = rest.slice(i, i + 3) as [string, string, string];
    if (!EXIT.test(code) || !BASE64.test(out) || !BASE64.test(err)) return null;
    steps.push({ exitCode: Number(code), stdout: text(out), stderr: text(err) });
  }
  return { exitCode: Number(exit), steps };
}
