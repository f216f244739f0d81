import { describe, expect, it } from 'vitest';
import { normaliseNftListing } from '../ruleset/nft-listing.ts';
import { assertUnchanged, type LabState } from './self-check.ts';

const listing = (port: number) =>
  `table inet web {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport ${port} counter accept\n\t}\n}\n`;
const state = (nft: string): LabState => ({
  ruleset: { v4: '*filter\nCOMMIT', v6: '*filter\nCOMMIT', nft: normaliseNftListing(nft) },
  listening: [], addresses: [], routes: [], links: [],
});

describe('assertUnchanged and native nft tables', () => {
  it('names a native nft rule that changed during the scans, which iptables-save never shows', () => {
    expect(() => assertUnchanged(state(listing(22)), state(listing(22)))).not.toThrow();
    expect(() => assertUnchanged(state(listing(22)), state(listing(2222)))).toThrow(
      /nft ruleset: gone: table inet web chain input: tcp dport 22 counter accept[^]*nft ruleset: new: table inet web chain input: tcp dport 2222/,
    );
  });
});
