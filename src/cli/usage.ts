/**
 * What `fwprobe --help` and `fwprobe COMMAND --help` print, written from the command table
 * (commands.ts): the help names exactly the options the parser takes.
 */
import { COMMAND_NAMES, COMMANDS, OPTIONS, optionsOf, type CommandName, type OptionSpec } from './commands.ts';

/** The overview: every command with its synopsis and summary. */
export function overviewUsage(): string {
  const lines = COMMAND_NAMES.map((name) => `  ${synopsis(name)}\n      ${COMMANDS[name].summary}\n`);
  return `Usage:\n${lines.join('')}  fwprobe -v, --version\n  fwprobe COMMAND --help   (each command's options)\n`;
}

/** `fwprobe COMMAND --help`: synopsis, what it does, its options (with defaults), exit codes. */
export function commandUsage(name: CommandName): string {
  const spec = COMMANDS[name];
  const options = optionsOf(name);
  const width = Math.max(...options.map((o) => optionLabel(o).length)) + 2;
  const rows = options.map((o) => `  ${optionLabel(o).padEnd(width)}${o.description}${o.default ? ` (default: ${o.default})` : ''}`);
  return [
    `Usage: fwprobe ${name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.about ?? spec.summary,
    '',
    'Options:',
    ...rows,
    ...runOptionsNote(name),
    ...(spec.exits ? ['', spec.exits] : []),
    '',
  ].join('\n');
}

function synopsis(name: CommandName): string {
  const spec = COMMANDS[name];
  const options = optionsOf(name)
    .filter((o) => o.name !== 'help' && !spec.args.includes(`--${o.name} `))
    .map((o) => `[--${o.name}${o.value ? ` ${o.value}` : ''}]${o.multiple ? '…' : ''}`);
  return ['fwprobe', name, spec.args, ...options].filter(Boolean).join(' ');
}

function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}`;
}

/** For a command that runs scenarios but is not `run`: which of `run`'s options it takes, and which not. */
function runOptionsNote(name: CommandName): string[] {
  if (name === 'run' || name === 'demo') return [];
  const runs = OPTIONS.filter((o) => o.name !== 'help' && o.commands.includes('run'));
  const taken = runs.filter((o) => o.commands.includes(name)).map((o) => `--${o.name}`);
  if (taken.length === 0) return [];
  const not = runs.filter((o) => !o.commands.includes(name)).map((o) => `--${o.name}`);
  return ['', `Of fwprobe run's options, ${name} takes ${taken.join(', ')}${not.length ? `; not ${not.join(', ')}` : ''}.`];
}
