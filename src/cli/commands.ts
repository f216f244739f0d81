/**
 * The one table of the `fwprobe` command line: every command with its arguments, summary and exit codes,
 * and every option with its type, default, description and the commands that take it. Parsing
 * (`args.ts`), the overview and each `COMMAND --help` (`usage.ts`) and "did you mean" are all read from
 * here, so a new option is one entry, and its help cannot drift from what is parsed.
 */
import { boundsHelp } from './bounds.ts';
import { listPresets } from '../ruleset/index.ts';
import { reportFileList } from '../report/report-files.ts';
import { flagFormsText } from './ruleset-flag.ts';

/** The services both labs of `compare` listen on when `--services` is not given. */
export const DEFAULT_COMPARE_SERVICES = '22/tcp,25/tcp,53/tcp,53/udp,80/tcp,123/udp,443/tcp';

export const COMMAND_NAMES = ['run', 'demo', 'generate', 'validate', 'baseline', 'check', 'diff', 'compare', 'merge-reports', 'collect', 'capture', 'audit'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface OptionSpec {
  /** The long name, without `--`. */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** Repeatable: every value is kept, in order. @default false */
  multiple?: boolean;
  /** The value's placeholder in the help (`DIR`, `N`). */
  value?: string;
  /** The default, as the help says it (computed where it depends on the environment). */
  default?: string;
  description: string;
  /** The commands that take it. */
  commands: readonly CommandName[];
}

export interface CommandSpec {
  name: CommandName;
  /** What follows the command name in the synopsis, options left out. */
  args: string;
  /** One line for the overview. */
  summary: string;
  /** Said under the synopsis in `COMMAND --help` (the summary when absent). */
  about?: string;
  /** Exit codes, one line. */
  exits?: string;
}

const RUNS = ['run', 'demo', 'baseline', 'check', 'compare', 'audit'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'report-dir',
    type: 'string',
    value: 'DIR',
    default: '$FWPROBE_REPORT_DIR, else reports/',
    description: `write ${reportFileList()} there; checked before anything runs`,
    commands: RUNS,
  },
  { name: 'filter', type: 'string', value: 'PATTERN', description: 'only scenarios whose name or path contains PATTERN', commands: ['run', 'demo'] },
  {
    name: 'concurrency',
    type: 'string',
    value: 'N',
    default: 'the number of CPUs',
    description: 'scenarios probing and scanning at once (one more lab starts ahead of a free slot)',
    commands: ['run', 'demo', 'baseline', 'check', 'audit'],
  },
  {
    name: 'bound',
    type: 'string',
    multiple: true,
    value: 'NAME=SECS',
    description: `raise or lower a step's bound, repeatable: ${boundsHelp()}`,
    commands: RUNS,
  },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'no port tables, only each verdict', commands: ['run', 'demo', 'audit'] },
  { name: 'json', type: 'boolean', description: "results.json's document on stdout, nothing else there (progress stays on stderr)", commands: ['run', 'demo'] },
  {
    name: 'a',
    type: 'string',
    value: 'RULESET',
    description: `the first ruleset, as the keys of a scenario's ruleset: (paths relative to the working directory): ${flagFormsText()}`,
    commands: ['compare'],
  },
  { name: 'b', type: 'string', value: 'RULESET', description: 'the second ruleset, in the same terms', commands: ['compare'] },
  { name: 'services', type: 'string', value: 'LIST', default: DEFAULT_COMPARE_SERVICES, description: 'the services both labs listen on', commands: ['compare'] },
  { name: 'ports', type: 'string', multiple: true, value: 'tcp=SPEC', description: 'scan more ports (tcp=1-1024, udp=top-100…), repeatable', commands: ['compare'] },
  { name: 'backend', type: 'string', value: 'nft|legacy', description: "the lab's iptables backend", commands: ['compare'] },
  {
    name: 'scenario',
    type: 'string',
    value: 'FILE',
    description: "borrow a scenario's lab (networks, peers, hosts behind, services, vantages, scanned ports) instead of --services/--ports; its ruleset and verdict are not used",
    commands: ['compare'],
  },
  { name: 'preset', type: 'string', value: 'NAME', description: `a generator preset (${listPresets().join(', ')})`, commands: ['generate'] },
  { name: 'param', type: 'string', multiple: true, value: 'KEY=VALUE', description: "a preset's parameter, repeatable", commands: ['generate'] },
  { name: 'out', type: 'string', value: 'DIR', description: 'where the files are written (required)', commands: ['generate', 'merge-reports', 'capture'] },
  {
    name: 'from',
    type: 'string',
    value: 'BUNDLE',
    description: 'the JSON bundle the collect script wrote on the host (audit: or a folder of them, *.json, one host each)',
    default: 'this machine: the collect script is run here (root on Linux)',
    commands: ['capture', 'audit'],
  },
  {
    name: 'anonymise',
    type: 'boolean',
    description: 'map addresses (prefixes kept), the hostname and non-standard interface names the same way in every file, so the scenario can be shared',
    commands: ['capture', 'audit'],
  },
  { name: 'keep', type: 'boolean', description: 'keep the captured scenario folders (their path is printed) instead of removing them', commands: ['audit'] },
  { name: 'help', short: 'h', type: 'boolean', description: 'this text', commands: COMMAND_NAMES },
];

export const COMMANDS: Record<CommandName, CommandSpec> = {
  run: {
    name: 'run',
    args: '[FILES|DIRS…]',
    summary: 'Run scenarios (default: ./scenarios), printed in file order; write every report.',
    about:
      "Runs scenarios (default: ./scenarios) in throwaway containers and prints each one's port table and verdict.\n" +
      'Results go to stdout in file order; progress to stderr (a live line on a terminal, a line per phase in a\n' +
      'log). Colour only on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.',
    exits: 'Exit 0: all passed; 1: a scenario failed; 2: an error (a scenario could not run, bad input).',
  },
  demo: {
    name: 'demo',
    args: '',
    summary: 'The IPv6-gap demo: the v4-only ruleset, the fix, and what the fix costs.',
    about:
      'The IPv6 gap of the 2009 "Linux Firewalls" post, in containers: the v4-only host, the fix, and what the fix\n' +
      'costs, told from what the scans see; every report is written, index.html among them.',
  },
  generate: {
    name: 'generate',
    args: '[POLICY]',
    summary: 'Write rules.v4, rules.v6, firewall.sh and rules.nft from a policy file and/or a preset.',
    about: `Writes rules.v4, rules.v6, firewall.sh and rules.nft into DIR from a policy file (YAML) or a preset.\nPresets: ${listPresets().join(', ')}.`,
    exits: 'Exit 0: written; 2: bad input (the reason on stderr).',
  },
  validate: {
    name: 'validate',
    args: '[FILES|DIRS…]',
    summary: 'Load every scenario as a run would (schema, files, limits), then check its ruleset files with nft, iptables-restore and bash -n in one throwaway container.',
    about: 'The ruleset check needs a Docker engine; without one it is skipped, said so, and the exit code is the rest.',
    exits: 'Exit 0: all valid; 2: a file is invalid (each problem names the file, line and field).',
  },
  baseline: {
    name: 'baseline',
    args: '[FILES|DIRS…]',
    summary: "Run scenarios and write each one's exposure beside it (NAME.baseline.json): commit it.",
    exits: 'Exit 0: written; 2: a scenario could not run (no baseline written for it).',
  },
  check: {
    name: 'check',
    args: '[FILES|DIRS…]',
    summary: 'Run scenarios and compare each with its NAME.baseline.json: prints only the ports whose exposure changed.',
    exits: 'Exit 0: the same; 1: changed; 2: an error (a missing baseline, a scenario that could not run).',
  },
  diff: {
    name: 'diff',
    args: 'A.json B.json',
    summary: 'Compare two results.json files (e.g. reports/ of two runs), offline: the ports whose exposure changed.',
    exits: 'Exit 0: the same; 1: changed; 2: an error (a bad file, a scenario that ended in error).',
  },
  compare: {
    name: 'compare',
    args: '--a RULESET --b RULESET [--scenario FILE]',
    summary: 'Run both rulesets in the same lab (same services, every vantage) and compare their exposure.',
    exits: 'Exit 0: identical exposure; 1: differences (listed A → B); 2: an error.',
  },
  'merge-reports': {
    name: 'merge-reports',
    args: '--out DIR SHARD_DIR…',
    summary: `Merge the results.json of CI shards into DIR: ${reportFileList()}.`,
    exits: "Exit 0: merged; 2: a shard's results.json is missing or invalid, from another fwprobe, or a scenario is in two shards.",
  },
  collect: {
    name: 'collect',
    args: '',
    summary: "Print a POSIX sh script that reads a host's firewall state into one JSON bundle: ssh HOST sudo sh < collect.sh > HOST.json",
    about:
      'The script needs no Node on the host: sh, iptables, nft, ss, ip and sysctl (Docker, ufw, firewalld when present).\n' +
      'It only reads: no packet sent, nothing installed or written, each command under `timeout`, under 5 s in all,\n' +
      'outputs capped; what it could not read (not root, no nft) is recorded in the bundle.',
  },
  capture: {
    name: 'capture',
    args: '[--from BUNDLE] --out DIR',
    summary: "Turn a host's bundle into a scenario folder: its ruleset, its listeners with their bind addresses, its interfaces and subnets, a peer on each.",
    about:
      'The bundle is hostile input: size-bounded and checked field by field; nothing of it reaches a shell. The scenario asserts\n' +
      'only `parity: strict` (IPv6 filtered like IPv4): `fwprobe run` answers that; `fwprobe baseline` then `check` hold the exposure.',
    exits: 'Exit 0: written; 2: the bundle is invalid (the field is named) or the scenario could not be written.',
  },
  audit: {
    name: 'audit',
    args: '[--from BUNDLE|DIR]',
    summary: 'Capture each host into a temporary folder, run it, and answer "have you checked ip6tables lately?" in one sentence per host.',
    about:
      'Captures each host, runs it, and answers per host: every IPv4/IPv6 difference first, the port table, then either "IPv6 is filtered\n' +
      'like IPv4" or the ports open over IPv6 and not IPv4 (from the lab peers: loopback differences come from bind addresses and\n' +
      'are listed, not counted). Every bundle is checked before any container starts. The usual reports are written.',
    exits: 'Exit 0: no host exposes more over IPv6 than over IPv4; 1: one does (its ports named); 2: an error (a bad bundle, a run that did not finish).',
  },
};

/** The options `command` takes, in table order. */
export function optionsOf(command: CommandName): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}
