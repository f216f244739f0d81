import { describe, expect, it } from 'vitest';
import { familyTexts, nativeTables, normaliseNftListing, parseNftListing, ruleByHandle } from './nft-listing.ts';
import { lintNftParity } from './nft-parity.ts';
import { staticParityFindings } from './static-parity.ts';
import { rateDependentRules } from './rate-dependence.ts';
import { unvariedRules } from './shape-matches.ts';

// As `nft -s list ruleset` printed them in the lab image (nftables 1.0.6, iptables 1.8.9).
const IP_ONLY = `table ip filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		tcp dport 22 counter accept
	}
}
`;
const INET = (rules: string, sets = '') => `table inet web {
${sets}	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
${rules}	}
}
`;
const ND = '\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n';
const MANAGED = `# Warning: table ip filter is managed by iptables-nft, do not touch!
table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		tcp dport 22 counter accept
		limit rate 3/second counter log prefix "DROP "
	}
}
`;
const SAVE_V4 = '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
const lint = (listing: string) => lintNftParity(parseNftListing(listing)).map((f) => f.what);

describe('parseNftListing', () => {
  it('reads tables, base chains with hook and policy, rules, sets and the iptables-nft mark', () => {
    const sets = '\tset admins {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/8,\n\t\t\t     192.168.0.0/16 }\n\t}\n\n';
    const [managed, web] = parseNftListing(MANAGED + INET('\t\tip saddr @admins tcp dport 22 accept\n', sets));
    expect(managed).toMatchObject({ family: 'ip', name: 'filter', managed: true });
    expect(web).toMatchObject({ family: 'inet', name: 'web', managed: false });
    expect(web!.chains[0]).toEqual({
      name: 'input',
      hook: 'input',
      type: 'filter',
      policy: 'drop',
      rules: ['ct state established,related accept', 'ip saddr @admins tcp dport 22 accept'],
      handles: [null, null],
    });
    expect(web!.sets[0]).toMatchObject({ name: 'admins', elements: 'elements = { 10.0.0.0/8, 192.168.0.0/16 }', dynamic: false });
  });

  it('reads `nft -a` handles, leaves them out of the text, and finds a rule by its handle', () => {
    const listing =
      'table inet filter { # handle 1\n\tchain input { # handle 1\n\t\ttype filter hook input priority filter; policy drop;\n' +
      '\t\ttcp dport { 22,\n\t\t\t     80 } accept # handle 11\n\t\treject with icmpx admin-prohibited # handle 13\n\t}\n}\n';
    const tables = parseNftListing(listing);
    expect(tables[0]!.chains[0]).toMatchObject({ hook: 'input', rules: ['tcp dport { 22, 80 } accept', 'reject with icmpx admin-prohibited'], handles: [11, 13] });
    expect(tables[0]!.text).not.toContain('handle');
    expect(ruleByHandle(tables, 1, 'filter', 13)).toMatchObject({ rule: 'reject with icmpx admin-prohibited', chain: { name: 'input' } });
    expect(ruleByHandle(tables, 2, 'filter', 13)).toBeNull();
    expect(normaliseNftListing(listing)).toBe(normaliseNftListing(listing.replace(/ # handle \d+/g, '')));
  });

  it('normalises for comparison: rules named by table and chain, elements of sets packets fill left out', () => {
    const meter = '\tset seen {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\telements = { 10.0.0.1 expires 59s }\n\t}\n';
    const text = normaliseNftListing(INET('\t\ttcp dport 22 accept\n', meter));
    expect(text).toContain('table inet web chain input: tcp dport 22 accept');
    expect(text).toContain('table inet web chain input: hook input policy drop');
    expect(text).not.toContain('10.0.0.1');
    expect(normaliseNftListing(INET('\t\ttcp dport 22 accept\n', meter.replace('10.0.0.1 expires 59s', '10.0.0.2 expires 3s')))).toBe(text);
    expect(normaliseNftListing(INET('\t\ttcp dport 23 accept\n', meter))).not.toBe(text);
  });

  it("tells native tables from iptables ones, also where nft has no mark (the host's iptables made them)", () => {
    const unmarked = MANAGED.split('\n').slice(1).join('\n');
    expect(nativeTables({ v4: SAVE_V4, v6: '', nft: unmarked + INET('') }).map((t) => t.name)).toEqual(['web']);
    // A native `table ip filter` iptables-save calls incompatible (and shows with made-up ACCEPT policies).
    const incompatible = "# Table `filter' contains incompatible base-chains, use 'nft' tool to list them.\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n";
    expect(nativeTables({ v4: incompatible, v6: '', nft: IP_ONLY }).map((t) => t.name)).toEqual(['filter']);
  });

  it('gives native tables to the rule checks of the families they see, iptables-nft ones only once', () => {
    const saved = { v4: SAVE_V4, v6: '', nft: MANAGED + INET('\t\tiifname "eth9" tcp dport 80 limit rate 5/minute accept\n') };
    expect(familyTexts(saved).v6).toContain('eth9');
    // Without nft's JSON listing the model cannot read the native rule: it is unvaried in both families, never passed.
    expect(rateDependentRules(saved)).toEqual([]);
    expect(new Set(unvariedRules(saved).map((r) => `${r.family} ${r.match} ${r.rule}`))).toEqual(
      new Set(['ipv4', 'ipv6'].flatMap((f) => ['ct state established,related accept', 'iifname "eth9" tcp dport 80 limit rate 5/minute accept'].map((r) => `${f} nft listing without json ${r}`))),
    );
  });
});

describe('lintNftParity', () => {
  it('names an ip table that drops where nothing drops IPv6', () => {
    expect(lint(IP_ONLY)).toEqual(['ip-only-table']);
    expect(lint(IP_ONLY + INET(ND))).toEqual([]);
  });

  it('names ip saddr rules without an ip6 twin, and accepts a twin', () => {
    expect(lint(INET(`${ND}\t\tip saddr @admins tcp dport 22 accept\n`))).toEqual(['no-ip6-twin']);
    expect(lint(INET(`${ND}\t\tip saddr 10.0.0.0/8 tcp dport 22 accept\n\t\tip6 saddr fd00::/8 tcp dport 22 accept\n`))).toEqual([]);
  });

  it('names a drop policy on IPv6 with no neighbour discovery accepted', () => {
    expect(lint(INET('\t\tmeta l4proto icmp accept\n\t\ttcp dport 22 accept\n'))).toEqual(['nd-dropped']);
    expect(lint(INET('\t\tmeta l4proto ipv6-icmp accept\n'))).toEqual([]);
    expect(lint(INET('\t\ticmpv6 type nd-neighbor-solicit accept\n'))).toEqual([]);
  });

  it('names reject with icmp in an inet table, not icmpx', () => {
    expect(lint(INET(`${ND}\t\ttcp dport 23 reject with icmp port-unreachable\n`))).toEqual(['reject-icmp-in-inet']);
    expect(lint(INET(`${ND}\t\treject with icmpx admin-prohibited\n`))).toEqual([]);
  });

  it('says what it did not analyse', () => {
    const findings = lintNftParity(parseNftListing(INET(`${ND}\t\tjump mine\n`)));
    expect(findings.map((f) => f.what)).toEqual(['not-analysed']);
    expect(findings[0]!.message).toContain('"jump mine"');
  });
});

describe('staticParityFindings with nft tables', () => {
  it('lints native tables as nft and leaves iptables-only rulesets to the iptables lint', () => {
    const v6Open = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
    expect(staticParityFindings({ v4: SAVE_V4, v6: v6Open, nft: MANAGED })).toEqual(['INPUT: IPv4 drops by default (policy DROP), IPv6 accepts by default (policy ACCEPT).']);
    // An inet table drops IPv6 by default: the iptables lint's "IPv6 accepts by default" would be wrong.
    expect(staticParityFindings({ v4: SAVE_V4, v6: v6Open, nft: MANAGED + INET(ND) })).toEqual([]);
    expect(staticParityFindings({ v4: '', v6: '', nft: IP_ONLY })).toEqual([expect.stringContaining('table ip filter input (hook input): policy drop filters IPv4 only')]);
  });
});
