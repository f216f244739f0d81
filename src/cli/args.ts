/**
 * Parses one command's arguments against the command table (commands.ts): an option the command does not
 * take, a value missing or given to a flag is a usage error in a second, naming the closest option when
 * the word was misspelt (`--concurency` → `--concurrency`).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { closest } from '../model/spelling.ts';
import { COMMAND_NAMES, OPTIONS, optionsOf, type CommandName, type OptionSpec } from './commands.ts';

export interface ParsedArgs {
  positionals: string[];
  /** A string option's value, or undefined when not given. */
  string(name: string): string | undefined;
  /** A repeatable option's values, in order ([] when not given). */
  strings(name: string): string[];
  /** A flag: given or not. */
  flag(name: string): boolean;
}

/** @throws UsageError naming the option, what is wrong, and what was probably meant. */
export function parseCommandArgs(command: CommandName, args: readonly string[]): ParsedArgs {
  const accepted = optionsOf(command);
  // Lenient here and strict below: node's own errors cannot say which option was meant.
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: Object.fromEntries(accepted.map((o) => [o.name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }])),
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = accepted.find((o) => o.name === token.name);
    if (!spec) throw unknownOption(command, token.rawName);
    if (spec.type === 'string' && (token.value === undefined || token.value === '')) {
      throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${spec.value ?? 'VALUE'}); see fwprobe ${command} --help`);
    }
    if (spec.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value; see fwprobe ${command} --help`);
  }
  const get = (name: string) => (values as Record<string, string | boolean | (string | boolean)[] | undefined>)[name];
  return {
    positionals,
    string: (name) => {
      const value = get(name);
      return typeof value === 'string' ? value : undefined;
    },
    strings: (name) => {
      const value = get(name);
      return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    },
    flag: (name) => get(name) === true,
  };
}

function unknownOption(command: CommandName, raw: string): UsageError {
  const shown = printable(JSON.stringify(raw).slice(1, -1));
  const name = raw.replace(/^-+/, '');
  const own = optionsOf(command);
  const elsewhere = OPTIONS.find((o) => o.name === name && !o.commands.includes(command));
  let hint = '';
  if (elsewhere) hint = `: it is an option of ${elsewhere.commands.map((c) => `fwprobe ${c}`).join(', ')}`;
  else {
    const near = closest(
      name,
      own.map((o) => o.name),
    );
    if (near) hint = `: did you mean --${near}?`;
  }
  return new UsageError(`Unknown option '${shown}' for fwprobe ${command}${hint} (see fwprobe ${command} --help)`);
}

/** The unknown command's message, with the closest command when the word was misspelt. */
export function unknownCommand(word: string): string {
  const near = closest(word, COMMAND_NAMES);
  return `unknown command ${printable(JSON.stringify(word))}${near ? `: did you mean ${near}?` : ''}`;
}

export type { OptionSpec };
