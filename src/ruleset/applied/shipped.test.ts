/**
 * Every iptables extension the image ships and every nft statement, expression and meta key its
 * libnftables-json(5) documents is classified: a new one fails here, so it cannot become a silent green.
 */
import { describe, expect, it } from 'vitest';
import { NFT_EXPRESSION_TYPES, NFT_MATCHES } from './nft-table.ts';
import { NFT_DOC_EXPRESSIONS, NFT_DOC_META_KEYS, NFT_DOC_STATEMENTS, XT_EXTENSIONS } from './shipped.test-helpers.ts';
import { NFT_STATEMENTS, XT_TARGETS } from './targets.ts';
import { XT_MATCHES } from './xt-table.ts';

/** Extensions that provide targets under other names (libxt_NAT: SNAT and DNAT). */
const PROVIDES: Record<string, string[]> = { NAT: ['SNAT', 'DNAT'] };

describe('every shipped match and target is classified', () => {
  it('iptables: each lower-case extension is a match in the table, each upper-case one a target', () => {
    const unclassified = XT_EXTENSIONS.map((lib) => lib.replace(/^lib(xt|ipt|ip6t)_/, '')).filter((name) =>
      /^[A-Z]/.test(name) ? !(PROVIDES[name] ?? [name]).every((t) => t in XT_TARGETS) : !(name in XT_MATCHES),
    );
    expect(unclassified).toEqual([]);
  });

  it('nft: each documented statement, expression and meta key is classified', () => {
    expect(NFT_DOC_STATEMENTS.filter((s) => s !== 'match' && !(s in NFT_STATEMENTS))).toEqual([]);
    expect(NFT_DOC_EXPRESSIONS.filter((e) => !(e in NFT_EXPRESSION_TYPES) && !(e in NFT_STATEMENTS))).toEqual([]);
    // A meta key has an entry, or is unvaried by having none: the list says which, so none is overlooked.
    const withEntry = NFT_DOC_META_KEYS.filter((k) => `meta ${k}` in NFT_MATCHES);
    expect(withEntry).toEqual(['iif', 'iifname', 'l4proto', 'nfproto', 'oif', 'oifname', 'pkttype', 'protocol', 'random']);
  });

  it('counts what the table says (reported in the note)', () => {
    const classes = [...Object.values(XT_MATCHES), ...Object.values(NFT_MATCHES)].flatMap((e) => [e.bare, ...Object.values(e.options ?? {})].map((c) => (typeof c === 'string' ? c : 'by context')));
    const count = (c: string) => classes.filter((x) => x === c).length;
    expect(count('varied') + count('neutral') + count('rate') + count('unvaried') + count('by context')).toBe(classes.length);
    expect(Object.keys(XT_MATCHES).length + Object.keys(NFT_MATCHES).length).toBeGreaterThan(90);
  });
});
