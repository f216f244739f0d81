/**
 * The one parsed model of the applied ruleset: both families' `*-save` tables, and every native nft
 * table read from `nft -j list ruleset` (iptables-nft's own tables are read from `*-save`, which shows
 * them). Built once per applied ruleset and kept, since several readers ask it.
 */
import type { AppliedRuleset } from '../../model/ruleset.ts';
import { nativeTables, parseNftListing } from '../nft-listing.ts';
import { familiesOf, parseNftJson } from './nft-json.ts';
import { parseSave } from './iptables.ts';
import type { AppliedModel } from './types.ts';

/** What the model reads: `*-save` text of both families and, where read, nft's listings. */
export type SavedRuleset = Pick<AppliedRuleset, 'v4' | 'v6' | 'nft' | 'nftJson'>;

const built = new WeakMap<object, AppliedModel>();

export function appliedModel(saved: SavedRuleset): AppliedModel {
  const cached = built.get(saved);
  if (cached) return cached;
  const v4 = parseSave(saved.v4, 'ipv4');
  const v6 = parseSave(saved.v6, 'ipv6');
  const model: AppliedModel = { rules: [...v4.rules, ...v6.rules], chains: [...v4.chains, ...v6.chains] };
  // `-j NAME` where NAME is a chain of the same table is a jump.
  for (const rule of model.rules) {
    for (const t of rule.targets) {
      if (!t.jump && model.chains.some((c) => c.family === rule.family && c.table === rule.table && c.name === t.name)) Object.assign(t, { jump: 'jump', chain: t.name });
    }
  }
  const native = nativeTables(saved);
  if (native.length > 0) {
    const keep = new Set(native.map((t) => `${t.family} ${t.name}`));
    const listed = parseNftListing(saved.nft ?? '');
    const text = (family: string, table: string, chain: string, index: number) => listed.find((t) => t.family === family && t.name === table)?.chains.find((c) => c.name === chain)?.rules[index];
    if (saved.nftJson) {
      const nft = parseNftJson(saved.nftJson, (family, table) => keep.has(`${family} ${table}`), text);
      model.rules.push(...nft.rules);
      model.chains.push(...nft.chains);
    } else {
      model.rules.push(...unreadNftRules(native));
      model.chains.push(
        ...native.flatMap((t) => familiesOf(t.family).flatMap((family) => t.chains.map((c) => ({ family, source: 'nft' as const, table: t.name, nftFamily: t.family, name: c.name, hook: c.hook })))),
      );
    }
  }
  built.set(saved, model);
  return model;
}

/**
 * Native nft rules where no JSON listing was read (an old results file): each is kept with its text and
 * one unclassified match, so nothing in them can pass unseen.
 */
function unreadNftRules(native: ReturnType<typeof nativeTables>): AppliedModel['rules'] {
  return native.flatMap((t) =>
    t.chains.flatMap((c) =>
      c.rules.flatMap((text, i) =>
        familiesOf(t.family).map((family) => ({
          family,
          source: 'nft' as const,
          table: t.name,
          nftFamily: t.family,
          chain: c.name,
          position: i + 1,
          matches: [{ kind: 'nft' as const, name: 'nft listing without json', options: [] }],
          targets: [{ name: 'nft listing without json', args: [] }],
          text,
        })),
      ),
    ),
  );
}
