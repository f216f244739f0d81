/**
 * The words a reason is told in are the ruleset's own: an nft ruleset's user reads nft's tables, chains and
 * hooks (`inet filter input: policy drop`), never iptables' `INPUT has no rules`; a ufw user reads ufw's
 * default policies (`ufw default deny incoming`), set in /etc/default/ufw, not a bare chain policy.
 */
import type { Family } from '../../model/observation.ts';
import type { RulesetLayer, RulesetSpec } from '../../model/scenario.ts';

/** The forms a ruleset applies, in order (`none` applies none). */
export function formsOf(spec: RulesetSpec): RulesetLayer['kind'][] {
  if (spec.kind === 'none') return [];
  return spec.kind === 'layers' ? spec.layers.map((l) => l.kind) : [spec.kind];
}

/** How a hook that no chain of any table sits on is told: the kernel accepts what meets no chain. */
export interface NoChainWords {
  tool: string;
  /** iptables' `filter`; none for nft, where no table holds the hook. */
  table?: string;
  chain: string;
  policy: string;
  note: string;
}

export function noChainWords(spec: RulesetSpec, family: Family, hook: string): NoChainWords {
  const tool = family === 'ipv4' ? 'iptables' : 'ip6tables';
  const forms = formsOf(spec);
  const nftFamilies = family === 'ipv4' ? 'ip or inet' : 'ip6 or inet';
  const nftHook = hook.toLowerCase();
  if (forms.length > 0 && forms.every((f) => f === 'nft')) {
    return { tool: 'nft', chain: nftHook, policy: 'ACCEPT', note: `no ${nftFamilies} table has a chain on the ${nftHook} hook (the kernel's default)` };
  }
  if (forms.includes('nft')) {
    return { tool, table: 'filter', chain: hook, policy: 'ACCEPT', note: `no ${tool} filter table, and no ${nftFamilies} nft table has a chain on the ${nftHook} hook (the kernel's default)` };
  }
  return { tool, table: 'filter', chain: hook, policy: 'ACCEPT', note: `${tool} ${hook} has no rules (no ${tool} filter table: the kernel's default)` };
}

const UFW_DIRECTION: Record<string, { words: string; key: string }> = {
  INPUT: { words: 'incoming', key: 'DEFAULT_INPUT_POLICY' },
  OUTPUT: { words: 'outgoing', key: 'DEFAULT_OUTPUT_POLICY' },
  FORWARD: { words: 'routed', key: 'DEFAULT_FORWARD_POLICY' },
};
const UFW_VERDICT: Record<string, string> = { ACCEPT: 'allow', DROP: 'deny', REJECT: 'reject' };

/**
 * ufw's name for a built-in chain's policy in its filter table (`ufw default deny incoming
 * (DEFAULT_INPUT_POLICY)`), or null where ufw does not own it: another form wrote iptables tables too, or
 * the chain is not one ufw sets.
 */
export function ufwPolicyWords(spec: RulesetSpec, table: string, chain: string, verdict: string): string | null {
  const forms = formsOf(spec);
  if (table !== 'filter' || forms.length !== 1 || forms[0] !== 'ufw') return null;
  const direction = UFW_DIRECTION[chain];
  const word = UFW_VERDICT[verdict];
  return direction && word ? `ufw default ${word} ${direction.words} (${direction.key})` : null;
}
