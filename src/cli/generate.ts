/**
 * `fwprobe generate [POLICY] [--preset NAME] [--param K=V]... --out DIR`: writes `rules.v4`, `rules.v6`
 * (unless the IPv6 side is left untouched), `firewall.sh` (mode 0755) and `rules.nft` (an nftables file).
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FwprobeError, UsageError } from '../model/errors.ts';
import { printable } from '../model/printable.ts';
import { generateRuleset } from '../ruleset/index.ts';
import { loadPolicyFile } from '../ruleset/policy-load.ts';
import { parseCommandArgs } from './args.ts';
import { commandUsage } from './usage.ts';

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
      process.stdout.write(commandUsage('generate'));
      return 0;
    }
    const args = parseGenerateArgs(argv);
    const written = await generateInto(args);
    for (const line of written) process.stdout.write(`${printable(line)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FwprobeError)) throw error;
    process.stderr.write(`fwprobe generate: ${printable(error.message, { multiline: true })}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${commandUsage('generate')}`);
    return 2;
  }
}

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const parsed = parseCommandArgs('generate', argv);
  const params: Record<string, string> = {};
  for (const kv of parsed.strings('param')) addParam(params, kv);
  if (parsed.positionals.length > 1) throw new UsageError(`Only one POLICY file, got ${parsed.positionals.join(' and ')}.`);
  const args: GenerateArgs = { policy: parsed.positionals[0] ?? null, preset: parsed.string('preset') ?? null, params, out: parsed.string('out') ?? '' };
  if (!args.out) throw new UsageError('--out DIR is required.');
  if (args.policy === null && args.preset === null) throw new UsageError('Give a POLICY file or --preset NAME.');
  if (args.policy !== null && args.preset !== null) throw new UsageError('Give a POLICY file or --preset NAME, not both.');
  return args;
}

function addParam(params: Record<string, string>, kv: string): void {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param expects KEY=VALUE, got ${JSON.stringify(kv)}.`);
  params[kv.slice(0, eq)] = kv.slice(eq + 1);
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
