/**
 * The command table drives parsing and help: what `--help` lists is what the parser takes, a misspelt
 * option or command names the one meant, and an option of another command says whose it is.
 */
import { describe, expect, it } from 'vitest';
import { captureOutput } from './capture.test-helpers.ts';
import { parseCommandArgs } from './args.ts';
import { COMMAND_NAMES, OPTIONS, optionsOf } from './commands.ts';
import { main } from './main.ts';
import { commandUsage, overviewUsage } from './usage.ts';

const output = captureOutput();

describe('parseCommandArgs', () => {
  it('reads strings, repeatable strings, flags and their short forms', () => {
    const parsed = parseCommandArgs('run', ['a', '--concurrency', '3', '--bound=scan=60', '--bound', 'script=5', '-q', 'b']);
    expect(parsed.positionals).toEqual(['a', 'b']);
    expect(parsed.string('concurrency')).toBe('3');
    expect(parsed.strings('bound')).toEqual(['scan=60', 'script=5']);
    expect(parsed.flag('quiet')).toBe(true);
    expect(parsed.flag('json')).toBe(false);
    expect(parsed.string('filter')).toBeUndefined();
  });

  it('names the option meant when one is misspelt', () => {
    expect(() => parseCommandArgs('run', ['--concurency', '2'])).toThrow("Unknown option '--concurency' for fwprobe run: did you mean --concurrency?");
    expect(() => parseCommandArgs('check', ['--reprot-dir', 'x'])).toThrow(/did you mean --report-dir\?/);
    expect(() => parseCommandArgs('run', ['--zzz'])).toThrow(/^Unknown option '--zzz' for fwprobe run \(see fwprobe run --help\)$/);
  });

  it('says whose option it is when another command takes it', () => {
    expect(() => parseCommandArgs('baseline', ['--filter', 'x'])).toThrow("Unknown option '--filter' for fwprobe baseline: it is an option of fwprobe run, fwprobe demo");
    expect(() => parseCommandArgs('run', ['--out', 'x'])).toThrow(/it is an option of fwprobe generate, fwprobe merge-reports/);
  });

  it('refuses a string option without its value and a flag with one', () => {
    expect(() => parseCommandArgs('run', ['--report-dir'])).toThrow('--report-dir needs a value (--report-dir DIR)');
    expect(() => parseCommandArgs('run', ['--json=yes'])).toThrow('--json takes no value');
  });
});

describe('help from the table', () => {
  it('lists exactly the options each command parses, with their defaults', () => {
    for (const command of COMMAND_NAMES) {
      const help = commandUsage(command);
      for (const option of OPTIONS) expect(help.includes(`--${option.name} `) || help.includes(`--${option.name}\n`), `${command} --${option.name}`).toBe(option.commands.includes(command));
      expect(help).toMatch(new RegExp(`^Usage: fwprobe ${command}`));
    }
    expect(commandUsage('compare')).toContain('(default: 22/tcp,25/tcp,53/tcp,53/udp,80/tcp,123/udp,443/tcp)');
  });

  it("`baseline --help` and `check --help` say which of run's options apply", async () => {
    expect(await main(['baseline', '--help'])).toBe(0);
    expect(output.out).toContain("Of fwprobe run's options, baseline takes --report-dir, --concurrency, --bound; not --filter, --quiet, --json.");
    output.out = '';
    expect(await main(['check', '-h'])).toBe(0);
    expect(output.out).toContain("Of fwprobe run's options, check takes --report-dir, --concurrency, --bound; not --filter, --quiet, --json.");
  });

  it('the overview names every command', () => {
    const overview = overviewUsage();
    for (const command of COMMAND_NAMES) expect(overview).toContain(`  fwprobe ${command}`);
    expect(optionsOf('diff').map((o) => o.name)).toEqual(['help']);
  });
});

describe('main', () => {
  it('-v is --version', async () => {
    expect(await main(['-v'])).toBe(0);
    expect(output.out).toMatch(/^fwprobe \d+\.\d+\.\d+\n$/);
  });

  it('a misspelt command names the one meant, exit 2', async () => {
    expect(await main(['chekc'])).toBe(2);
    expect(output.err).toMatch(/^fwprobe: unknown command "chekc": did you mean check\?\n\nUsage:/);
  });
});
