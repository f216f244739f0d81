// Which rules make a counted UDP sweep's held probes prove nothing, read from matches (never chain names).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { mayHoldProbe, scanShapedRules, shapedRuleFor } from './scan-shaped.ts';

const fixture = (name: string) => readFileSync(new URL(`./applied/fixtures/${name}`, import.meta.url), 'utf8');
// nft 1.0.6's JSON for: udp sport 47311 drop; udp sport 53 udp dport 1000-2000 accept; udp dport { 5001, 5002 } accept
const NFT = {
  v4: '',
  v6: '',
  nft: 'table inet f {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tudp sport 47311 drop\n\t\tudp sport 53 udp dport 1000-2000 accept\n\t\tudp dport { 5001, 5002 } accept\n\t}\n}\n',
  nftJson:
    '{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},{"table":{"family":"inet","name":"f","handle":1}},{"chain":{"family":"inet","table":"f","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},{"rule":{"family":"inet","table":"f","chain":"input","handle":2,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"sport"}},"right":47311}},{"drop":null}]}},{"rule":{"family":"inet","table":"f","chain":"input","handle":3,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"sport"}},"right":53}},{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"range":[1000,2000]}}},{"accept":null}]}},{"rule":{"family":"inet","table":"f","chain":"input","handle":4,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"set":[5001,5002]}}},{"accept":null}]}}]}',
};
const v4 = (rules: string) => ({ v4: `*filter\n:INPUT DROP [0:0]\n${rules}\nCOMMIT\n`, v6: '' });

describe('scanShapedRules', () => {
  test("a drop of nmap's pinned source port holds every UDP port's probe: none of their drops proves anything", () => {
    const rules = scanShapedRules(v4('-A INPUT -p udp -m udp --sport 47311 -j DROP\n-A INPUT -p udp -j ACCEPT'));
    expect(rules).toEqual([{ rule: '-A INPUT -p udp -m udp --sport 47311 -j DROP', ports: 'all' }]);
    expect(shapedRuleFor(rules, 5001)).toBe('-A INPUT -p udp -m udp --sport 47311 -j DROP');
  });

  test('an accept from source port 53 (anyone can send from it) is held to the ports it names', () => {
    const rules = scanShapedRules(v4('-A INPUT -p udp -m udp --sport 53 --dport 1000:2000 -j ACCEPT\n-A INPUT -p udp -m multiport --sports 123 --dports 5000,5002 -j ACCEPT'));
    expect(rules.map((r) => r.ports)).toEqual([
      [[1000, 2000]],
      [
        [5000, 5000],
        [5002, 5002],
      ],
    ]);
    expect([999, 1000, 2000, 2001, 5001, 5002].map((p) => shapedRuleFor(rules, p) !== undefined)).toEqual([false, true, true, false, false, true]);
  });

  test('a negated port list is every port', () => {
    expect(scanShapedRules(v4('-A INPUT -p udp -m udp --sport 53 ! --dport 22 -j ACCEPT'))[0]?.ports).toBe('all');
  });

  test('TCP-only rules, destination-only rules and comments naming a source port are not shape-keyed', () => {
    const rules = v4('-A INPUT -p tcp -m tcp --sport 20 -j ACCEPT\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n-A INPUT -p udp -m comment --comment "sport 47311" -j DROP');
    expect(scanShapedRules(rules)).toEqual([]);
  });

  test("ufw's rules: only the DHCP reply rule (sport 67, dport 68), not the ufw-user-limit chain's REJECT", () => {
    const rules = scanShapedRules({ v4: fixture('ufw-allow-ssh-dns.v4'), v6: '' });
    expect(rules.every((r) => r.ports !== 'all')).toBe(true);
    expect(rules.map((r) => r.rule).filter((r) => /limit/.test(r))).toEqual([]);
    expect(shapedRuleFor(rules, 68)).toMatch(/--sport 67/);
    expect(shapedRuleFor(rules, 5001)).toBeUndefined();
  });
  test('nft: a source-port drop is every port; a source-port accept is held to its dport range', () => {
    const rules = scanShapedRules(NFT);
    // An inet table's rules stand in both families.
    expect([...new Set(rules.map((r) => JSON.stringify(r.ports)))]).toEqual(['"all"', '[[1000,2000]]']);
  });

  test("rules on the way out see a peer's probe only as the host's answer; a loopback probe leaves through them unless held to other source ports", () => {
    const [answer] = scanShapedRules({ v4: '*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -m udp --sport 5002 -j DROP\nCOMMIT\n', v6: '' });
    expect(answer).toEqual({ rule: '-A OUTPUT -p udp -m udp --sport 5002 -j DROP', ports: 'all', outbound: { held: [[5002, 5002]] } });
    expect(mayHoldProbe(answer!, [47311, 47312])).toBe(false);
    const [egress] = scanShapedRules({ v4: '*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o lo -p tcp -m tcp --sport 40000:50000 --tcp-flags FIN,SYN,RST,ACK SYN -j DROP\nCOMMIT\n', v6: '' }, 'tcp');
    expect(mayHoldProbe(egress!, [47311, 47312])).toBe(true);
    expect(mayHoldProbe(egress!, undefined)).toBe(true);
  });
});

// nft 1.0.6's listing of test/fixtures/shape-keyed/concat-flags.nft.
const CONCAT_FLAGS = {
  v4: '',
  v6: '',
  nft: 'table inet shapes {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n\t\tct state established,related accept\n\t\ttcp dport . tcp sport { 8080 . 53 } accept\n\t\ttcp dport 9090 tcp flags syn,psh / syn,psh accept\n\t}\n}\n',
  nftJson:
    '{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},{"table":{"family":"inet","name":"shapes","handle":1}},{"chain":{"family":"inet","table":"shapes","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},{"rule":{"family":"inet","table":"shapes","chain":"input","handle":3,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"icmpv6","field":"type"}},"right":{"set":["nd-neighbor-solicit","nd-neighbor-advert"]}}},{"accept":null}]}},{"rule":{"family":"inet","table":"shapes","chain":"input","handle":4,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"accept":null}]}},{"rule":{"family":"inet","table":"shapes","chain":"input","handle":6,"expr":[{"match":{"op":"==","left":{"concat":[{"payload":{"protocol":"tcp","field":"dport"}},{"payload":{"protocol":"tcp","field":"sport"}}]},"right":{"set":[{"concat":[8080,53]}]}}},{"accept":null}]}},{"rule":{"family":"inet","table":"shapes","chain":"input","handle":7,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":9090}},{"match":{"op":"==","left":{"&":[{"payload":{"protocol":"tcp","field":"flags"}},["syn","psh"]]},"right":["syn","psh"]}},{"accept":null}]}}]}',
};

describe('keyed on what a list of shape words missed (fail closed: a match not known alike is keyed)', () => {
  test('a source port inside a concatenation names no port of its own: every port', () => {
    const rules = scanShapedRules(CONCAT_FLAGS, 'tcp');
    expect(shapedRuleFor(rules, 8080)).toBe('tcp dport . tcp sport { 8080 . 53 } accept');
  });

  test('a SYN|PSH accept keys on flags no scan SYN carries; ct state and a plain `--syn` do not', () => {
    expect(scanShapedRules(CONCAT_FLAGS, 'tcp')).toContainEqual({ rule: 'tcp dport 9090 tcp flags syn,psh / syn,psh accept', ports: [[9090, 9090]] });
    const rules = scanShapedRules(
      v4(
        '-A INPUT -p tcp -m tcp --dport 9090 --tcp-flags SYN,PSH SYN,PSH -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT\n-A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 23 -j ACCEPT',
      ),
      'tcp',
    );
    expect(rules).toEqual([{ rule: '-A INPUT -p tcp -m tcp --dport 9090 --tcp-flags SYN,PSH SYN,PSH -j ACCEPT', ports: [[9090, 9090]] }]);
  });

  test('multiport `--ports` is the source port too', () => {
    expect(scanShapedRules(v4('-A INPUT -p tcp -m multiport --ports 53 -j ACCEPT'), 'tcp')).toEqual([{ rule: '-A INPUT -p tcp -m multiport --ports 53 -j ACCEPT', ports: 'all' }]);
  });

  test('matches no list names are keyed (a Hop-by-Hop header, a mark); a DROP of a routing header the probe never carries is not', () => {
    const six = { v4: '', v6: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m hbh -j ACCEPT\n-A INPUT -m rt --rt-type 0 -j DROP\n-A INPUT -m mark --mark 0x1 -j ACCEPT\nCOMMIT\n' };
    expect(scanShapedRules(six, 'tcp').map((r) => r.rule)).toEqual(['-A INPUT -m hbh -j ACCEPT', '-A INPUT -m mark --mark 0x1 -j ACCEPT']);
  });
});
