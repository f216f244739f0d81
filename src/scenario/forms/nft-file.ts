/**
 * What an nftables file must not be, found at load time: empty (a scenario that applies nothing by accident),
 * or reaching for other files with `include` (fwprobe copies only the named file into the lab, so an include
 * would read the image's files, or nothing). Messages give the line, never the file's text.
 */
import type { LoadedFile } from '../../model/scenario.ts';

/** One problem of an nftables file: the line it is on (1-based; null for the whole file) and what to do. */
export interface NftFileProblem {
  line: number | null;
  message: string;
}

/** Problems with an nftables file's content, before any lab is started. */
export function nftFileProblems(file: LoadedFile): NftFileProblem[] {
  const problems: NftFileProblem[] = [];
  let statements = 0;
  file.text.split('\n').forEach((raw, i) => {
    const line = withoutComment(raw).trim();
    if (line === '') return;
    statements++;
    // A statement may follow `;` or `{` on the same line: every one of them is looked at.
    if (line.split(/[;{]/).some((part) => /^\s*include\b/.test(part))) {
      problems.push({
        line: i + 1,
        message:
          '`include` is not supported: fwprobe copies only this file into the lab, so an include would read ' +
          "the lab image's files or nothing. Paste the included rules in, or list the other file as a layer of its own " +
          '(ruleset: [{ nft: a.nft }, { nft: b.nft }])',
      });
    }
  });
  if (statements === 0) {
    problems.push({
      line: null,
      message: 'the nftables file has no statements (only blank lines and comments): nothing would be applied. ' + 'Write `ruleset: { none: true }` if no firewall is what this scenario tests',
    });
  }
  return problems;
}

/** The line without its `#` comment; a `#` inside a quoted string is text. */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === '#' && !quoted) return line.slice(0, i);
  }
  return line;
}
