import { describe, expect, it } from 'vitest';
import { normaliseNftListing } from '../ruleset/nft-listing.ts';
import { assertUnchanged, expiringElements, type LabState } from './self-check.ts';

const listing = (port: number) => `table inet web {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport ${port} counter accept\n\t}\n}\n`;
const state = (nft: string): LabState => ({
  ruleset: { v4: '*filter\nCOMMIT', v6: '*filter\nCOMMIT', nft: normaliseNftListing(nft) },
  listening: [],
  addresses: [],
  routes: [],
  links: [],
});

describe('assertUnchanged and native nft tables', () => {
  it('names a native nft rule that changed during the scans, which iptables-save never shows', () => {
    expect(() => assertUnchanged(state(listing(22)), state(listing(22)))).not.toThrow();
    expect(() => assertUnchanged(state(listing(22)), state(listing(2222)))).toThrow(
      /nft ruleset: gone: table inet web chain input: tcp dport 22 counter accept[^]*nft ruleset: new: table inet web chain input: tcp dport 2222/,
    );
  });
});

describe('set elements on a clock', () => {
  const table = (rule: string) =>
    `table inet filter {\n\tset banned {\n\t\ttype ipv4_addr\n\t\tflags interval,timeout\n\t\telements = { 0.0.0.0/1 timeout 8s, 128.0.0.0/1 timeout 8s }\n\t}\n\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t${rule}\n\t}\n}\n`;
  it('elements with a timeout that no rule adds are named', () => {
    expect(expiringElements(table('ip saddr @banned tcp dport 22 drop'))).toEqual([expect.stringContaining('table inet filter set banned holds elements with a timeout')]);
  });
  it('a set packets fill (add/update @set) is state, not a clock', () => {
    expect(expiringElements(table('tcp dport 22 update @banned { ip saddr }'))).toEqual([]);
    expect(expiringElements(table('ip saddr @banned drop').replace(/ timeout 8s/g, ''))).toEqual([]);
  });
});
