/**
 * `fwprobe generate [POLICY] [--preset NAME] [--param K=V]... --out DIR`: writes `rules.v4`, `rules.v6`
 * (unless the IPv6 side is left untouched), `firewall.sh` (mode 0755) and `rules.nft` (an nftables file).
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { FwprobeError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { UsageError } from '../model/errors.ts';
import { generateRuleset, listPresets } from '../ruleset/index.ts';
import { loadPolicyFile } from '../ruleset/policy-load.ts';

export const GENERATE_USAGE = `Usage: fwprobe generate [POLICY] [--preset NAME] [--param KEY=VALUE]... --out DIR

Writes rules.v4, rules.v6, firewall.sh and rules.nft into DIR from a policy file (YAML) or a preset.
Presets: ${listPresets().join(', ')}.
`;

export interface GenerateArgs {
  policy: string | null;
  preset: string | null;
  params: Record<string, string>;
  out: string;
}

/** Exit code 0 on success, 2 on bad input (with the reason on stderr). */
export async function runGenerate(argv: string[]): Promise<number> {
  try {
    if (argv.includes('-h') || argv.includes('--help')) {
      process.stdout.write(GENERATE_USAGE);
      return 0;
    }
    const args = parseGenerateArgs(argv);
    const written = await generateInto(args);
    for (const line of written) process.stdout.write(`${printable(line)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FwprobeError)) throw error;
    process.stderr.write(`fwprobe generate: ${printable(error.message, { multiline: true })}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${GENERATE_USAGE}`);
    return 2;
  }
}

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const args: GenerateArgs = { policy: null, preset: null, params: {}, out: '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg, '=') : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--preset') args.preset = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '--param') addParam(args.params, value());
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    else if (args.policy === null) args.policy = arg;
    else throw new UsageError(`Only one POLICY file, got ${args.policy} and ${arg}.`);
  }
  if (!args.out) throw new UsageError('--out DIR is required.');
  if (args.policy === null && args.preset === null) throw new UsageError('Give a POLICY file or --preset NAME.');
  if (args.policy !== null && args.preset !== null) throw new UsageError('Give a POLICY file or --preset NAME, not both.');
  return args;
}

function addParam(params: Record<string, string>, kv: string): void {
  const [key, val] = splitOnce(kv, '=');
  if (!key || val === undefined) throw new UsageError(`--param expects KEY=VALUE, got ${JSON.stringify(kv)}.`);
  params[key] = val;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/** Generates and writes the files; returns one line per file for the user. */
export async function generateInto(args: GenerateArgs): Promise<string[]> {
  const policy = args.policy ? await loadPolicyFile(args.policy) : undefined;
  const out = generateRuleset({
    ...(policy ? { policy, source: `policy ${basename(args.policy ?? '')}` } : {}),
    ...(args.preset ? { preset: args.preset } : {}),
    params: args.params,
  });
  await mkdir(args.out, { recursive: true });
  const lines: string[] = [];
  await writeFile(join(args.out, 'rules.v4'), out.v4);
  lines.push(`wrote ${join(args.out, 'rules.v4')}`);
  if (out.v6 !== null) {
    await writeFile(join(args.out, 'rules.v6'), out.v6);
    lines.push(`wrote ${join(args.out, 'rules.v6')}`);
  } else {
    // A rules.v6 left from an earlier run would say the opposite of what this ruleset does.
    await rm(join(args.out, 'rules.v6'), { force: true });
    lines.push('no rules.v6: this ruleset leaves IPv6 untouched (ipv6: ignore or a v4-only preset)');
  }
  const script = join(args.out, 'firewall.sh');
  await writeFile(script, out.shell, { mode: 0o755 });
  await chmod(script, 0o755);
  lines.push(`wrote ${script}`);
  await writeFile(join(args.out, 'rules.nft'), out.nft);
  lines.push(`wrote ${join(args.out, 'rules.nft')} (nft -f: ${out.v6 === null ? 'an ip table, IPv6 untouched' : 'one inet table for both families'})`);
  return lines;
}
