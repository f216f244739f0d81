/**
 * The `fwprobe` command line: parses arguments, runs scenarios through run/, prints results through
 * report/. Exit codes are a contract with CI scripts.
 */
import { asFwprobeError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { FWPROBE_VERSION } from '../model/version.ts';
import { removeEverything } from '../run/engine.ts';
import { unknownCommand } from './args.ts';
import { isCommandName, type CommandName } from './commands.ts';
import { runGenerate } from './generate.ts';
import { EXIT, runCommand } from './run.ts';
import { commandUsage, overviewUsage } from './usage.ts';
import { runValidate } from './validate.ts';
import { runBaseline } from './baseline.ts';
import { runCheck } from './check.ts';
import { runCompare } from './compare.ts';
import { runDiff } from './diff.ts';
import { runMergeReports } from './merge-reports.ts';
import { runCollect } from './collect.ts';
import { runCapture } from './capture.ts';
import { runAudit } from './audit.ts';

export { EXIT, formatResult, inFileOrder } from './run.ts';

/** Every command of the table (commands.ts) and what runs it: a command without a handler does not compile. */
const HANDLERS: Record<CommandName, (args: string[]) => Promise<number>> = {
  run: (args) => runCommand(args, { demo: false }),
  demo: (args) => runCommand(args, { demo: true }),
  generate: runGenerate,
  validate: runValidate,
  baseline: runBaseline,
  check: runCheck,
  diff: runDiff,
  compare: runCompare,
  'merge-reports': runMergeReports,
  collect: runCollect,
  capture: runCapture,
  audit: (args) => runAudit(args),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '-V' || command === '--version') {
    process.stdout.write(`fwprobe ${FWPROBE_VERSION}\n`);
    return EXIT.passed;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(overviewUsage());
    return command === undefined ? EXIT.error : EXIT.passed;
  }
  if (!isCommandName(command)) {
    process.stderr.write(`fwprobe: ${unknownCommand(command)}\n\n${overviewUsage()}`);
    return EXIT.error;
  }
  // `fwprobe run --help` asks for help, not for a run.
  if (rest.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(commandUsage(command));
    return EXIT.passed;
  }
  return HANDLERS[command](rest);
}

export async function runCli(argv: string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    const { message } = asFwprobeError(error);
    process.stderr.write(`fwprobe: ${printable(message, { multiline: true })}\n`);
    code = EXIT.error;
  } finally {
    await removeEverything();
  }
  process.exitCode = code;
}
