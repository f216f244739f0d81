/**
 * Rules and policies as save output (`iptables-save`) prints them, read back by table and chain: what the
 * trace's attribution compares with the user's files.
 */

/** A line of the user's file that wrote a rule, as a form's origin finds it. */
export interface RuleOrigin {
  line: number;
  /** The `# …` comment right above the line, as fwprobe's generator writes the policy field or preset step. */
  comment?: string;
}

/** The `-A CHAIN …` lines of one table and chain in save output, in order. */
export function savedRules(saved: string, table: string, chain: string): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const raw of saved.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) inTable = line === `*${table}`;
    else if (inTable && line.startsWith(`-A ${chain} `)) out.push(line.replace(/^\[\d+:\d+\]\s+/, ''));
  }
  return out;
}

/** A chain's policy in save output, or null when the chain (or table) is not there. */
export function savedPolicy(saved: string, table: string, chain: string): string | null {
  let inTable = false;
  for (const raw of saved.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) inTable = line === `*${table}`;
    const policy = inTable ? new RegExp(`^:${chain.replace(/[^\w-]/g, '\\$&')}\\s+(\\S+)`).exec(line) : null;
    if (policy) return policy[1]!;
  }
  return null;
}
