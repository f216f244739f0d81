/**
 * What the firewall tools say when they refuse a file, read where the tools run: the line iptables-restore
 * names, and where nft's first error points. The error classes (model/errors/) take what is read here.
 */
import type { NftErrorAt } from '../model/errors.ts';

/**
 * The line iptables-restore names: "Error occurred at line: 2" or "line 2 failed"; iptables-nft, for a rule
 * the kernel refuses, "line 2: RULE_APPEND failed (Invalid argument): rule in chain INPUT".
 */
export function offendingLine(stderr: string): number | null {
  const match = /Error occurred at line: (\d+)/.exec(stderr) ?? /line (\d+) failed/.exec(stderr) ?? /^line (\d+): /m.exec(stderr);
  return match?.[1] ? Number(match[1]) : null;
}

/** Where nft's first error points: `FILE:LINE:COL-COL: Error: …`, as `nft -c -f` prints it. */
const NFT_ERROR = /^(.*?):(\d+):(\d+)(?:-(\d+))?: Error: (.*)$/m;

/**
 * nft's stderr with the lab's copy of the file (`labPath`) named as the user's file (`source`), and where
 * its first error points; `at` is null when nft named no position.
 */
export function readNftError(stderr: string, labPath: string, source: string): { stderr: string; at: NftErrorAt | null } {
  const renamed = stderr.split(labPath).join(source);
  const m = NFT_ERROR.exec(renamed);
  return { stderr: renamed, at: m ? { line: Number(m[2]), column: Number(m[3]), message: m[5] ?? '' } : null };
}
