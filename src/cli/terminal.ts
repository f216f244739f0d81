/**
 * What fwprobe writes where: results on stdout, progress on stderr. Colour only on a terminal, unless
 * NO_COLOR asks for none or FORCE_COLOR for some (https://no-color.org, and Node's own FORCE_COLOR). On a
 * terminal, progress is one live status line; in a CI log, a plain line per scenario phase with the time.
 */
import { printable } from '../model/printable.ts';

/** The bits of a stream fwprobe asks about (process.stdout, process.stderr, or a test's stand-in). */
export interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * Colour on `stream`? FORCE_COLOR wins when set (`0` or `false` turns colour off), then a non-empty
 * NO_COLOR turns it off, else only a terminal gets colour.
 */
export function useColour(stream: Pick<Stream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true;
}

export interface Progress {
  phase(scenario: string, phase: string): void;
  done(scenario: string, status: string, ms: number): void;
  /** Runs `print` (which writes results to stdout) with the live line out of its way. */
  around(print: () => void): void;
  /** Clears the live line (a terminal), so what follows starts on a clean line. */
  close(): void;
}

/** Progress on `stream`: a live status line on a terminal, else a line per event. */
export function createProgress(stream: Stream, total: number, now: () => number = Date.now): Progress {
  const started = now();
  const clock = () => `${((now() - started) / 1000).toFixed(1)} s`;
  if (stream.isTTY !== true) {
    return {
      phase: (scenario, phase) => stream.write(`fwprobe: [${clock()}] ${printable(scenario)}: ${phase}\n`),
      done: (scenario, status, ms) => stream.write(`fwprobe: [${clock()}] ${printable(scenario)}: ${status} in ${(ms / 1000).toFixed(1)} s\n`),
      around: (print) => print(),
      close: () => {},
    };
  }
  const running = new Map<string, string>();
  let finished = 0;
  const draw = () => {
    const now = [...running].map(([name, phase]) => `${printable(name)} (${phase})`).join(', ');
    const line = `fwprobe ${clock()}: ${finished}/${total} done${now ? `; ${now}` : ''}`;
    // A pseudo-terminal may say 0 columns: that is "unknown", not "no room".
    const width = (stream.columns !== undefined && stream.columns >= 20 ? stream.columns : 100) - 1;
    stream.write(`\r\u001b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  // The clock moves while a scan runs for minutes without a phase change.
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    phase: (scenario, phase) => {
      running.set(scenario, phase);
      draw();
    },
    done: (scenario) => {
      running.delete(scenario);
      finished++;
      draw();
    },
    around: (print) => {
      stream.write('\r\u001b[2K');
      print();
      draw();
    },
    close: () => {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}
