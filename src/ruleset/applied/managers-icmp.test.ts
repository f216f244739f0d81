/**
 * The firewall managers' own ICMP rules are known, not the user's burden: ufw's before6.rules accept
 * neighbour discovery with `-m hl --hl-eq 255` (22 such rules), firewalld's nft table accepts it with
 * `icmpv6 type … ip6 hoplimit 255`. They are pinned to ICMP/ICMPv6, so they cannot decide a TCP/UDP port
 * and make no verdict unverified. The same hop-limit match anywhere a TCP or UDP packet can meet it stays
 * unverified (the attacks below): the scope is read from the rule, never from its chain's name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifiedRules } from './classify.ts';
import { appliedModel } from './model.ts';

const read = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const save = (...rules: string[]) => ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n');
const unvaried = (v6: string) => classifiedRules(appliedModel({ v4: '', v6 }), 'unvaried').map((r) => `${r.match}: ${r.rule}`);

describe("ufw's stock rules, as ip6tables-save reads them back from the image", () => {
  it('its 22 hop-limit neighbour-discovery rules, and all its ICMP rules of both families, make nothing unverified', () => {
    const saved = { v4: read('ufw-allow-ssh-dns.v4'), v6: read('ufw-allow-ssh-dns.v6') };
    const hl = saved.v6.split('\n').filter((line) => line.includes('-m hl --hl-eq'));
    expect(hl).toHaveLength(22);
    expect(hl.every((line) => line.includes('-p ipv6-icmp -m icmp6 --icmpv6-type'))).toBe(true);
    expect(classifiedRules(appliedModel(saved), 'unvaried')).toEqual([]);
  });
});

describe('attacks: a hop-limit match a TCP/UDP packet can meet stays unverified', () => {
  it('in ufw6-before-input, on a TCP port, a UDP port, or with no protocol at all', () => {
    const rules = [
      '-A ufw6-before-input -p tcp -m tcp --dport 22 -m hl --hl-eq 255 -j ACCEPT',
      '-A ufw6-before-input -p udp -m udp --dport 53 -m hl --hl-eq 255 -j ACCEPT',
      '-A ufw6-before-input -m hl --hl-eq 255 -j ACCEPT',
    ];
    const v6 = save(':ufw6-before-input - [0:0]', '-A INPUT -j ufw6-before-input', '-A ufw6-before-input -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m hl --hl-eq 255 -j ACCEPT', ...rules);
    expect(unvaried(v6)).toEqual(rules.map((r) => `hl: ${r}`));
  });

  it('with the ICMPv6 protocol negated', () => {
    const rule = '-A INPUT ! -p ipv6-icmp -m hl --hl-eq 255 -j ACCEPT';
    expect(unvaried(save(rule))).toEqual([`hl: ${rule}`]);
  });

  it('in a chain an ICMPv6 rule jumps to, once a TCP rule jumps there too', () => {
    const nd = '-A nd -m hl --hl-eq 255 -j ACCEPT';
    const icmpOnly = save(':nd - [0:0]', '-A INPUT -p ipv6-icmp -j nd', nd);
    expect(unvaried(icmpOnly)).toEqual([]);
    expect(unvaried(save(':nd - [0:0]', '-A INPUT -p ipv6-icmp -j nd', '-A INPUT -p tcp -j nd', nd))).toEqual([`hl: ${nd}`]);
  });
});

describe("firewalld's nft idiom, as nft 1.0.6 lists it in the image (nft -j)", () => {
  it('accepts ND with hop limit 255 pinned to ICMPv6 as known; a set holding tcp, a negation, no protocol or a TCP port stays unverified', () => {
    const found = classifiedRules(appliedModel({ v4: '', v6: '', nft: read('nd-hoplimit.nft'), nftJson: read('nd-hoplimit.json') }), 'unvaried');
    // inet: each rule is judged once per family; hop limit exists only on IPv6.
    expect([...new Set(found.filter((r) => r.family === 'ipv6').map((r) => `${r.match}: ${r.rule}`))]).toEqual([
      'ip6 hoplimit: meta l4proto { tcp, ipv6-icmp } ip6 hoplimit 255 accept',
      'ip6 hoplimit: meta l4proto != ipv6-icmp ip6 hoplimit 255 accept',
      'ip6 hoplimit: ip6 hoplimit 255 accept',
      'ip6 hoplimit: tcp dport 22 ip6 hoplimit 255 accept',
    ]);
  });
});
