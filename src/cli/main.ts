/**
 * The `fwprobe` command line: picks the command, and turns what it throws into a message and an exit code.
 * Each command lives in its own file (run.ts, generate.ts, validate.ts); exit codes are a contract with CI.
 */
import { printable } from '../model/printable.ts';
import { removeEverything } from '../run/engine.ts';
import { fwprobeVersion } from '../report/version.ts';
import { runGenerate } from './generate.ts';
import { EXIT, runCommand } from './run.ts';
import { USAGE, usageOf } from './usage.ts';
import { runValidate } from './validate.ts';

export { EXIT, formatResult, inFileOrder } from './run.ts';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `fwprobe run --help` asks for help, not for a run.
  const help = command === undefined ? null : usageOf(command);
  if (help && rest.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(help);
    return EXIT.passed;
  }
  switch (command) {
    case '-V':
    case '--version':
      process.stdout.write(`fwprobe ${fwprobeVersion()}\n`);
      return EXIT.passed;
    case 'run':
      return runCommand(rest, { demo: false });
    case 'demo':
      return runCommand(rest, { demo: true });
    case 'generate':
      return runGenerate(rest);
    case 'validate':
      return runValidate(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.error : EXIT.passed;
    default:
      process.stderr.write(`fwprobe: unknown command ${printable(JSON.stringify(command))}\n\n${USAGE}`);
      return EXIT.error;
  }
}

export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`fwprobe: ${printable(message, { multiline: true })}\n`);
    code = EXIT.error;
  } finally {
    await removeEverything();
  }
  process.exitCode = code;
}
