/** The classification of each applied rule: what makes a TCP/UDP verdict unverified, and what cannot. */
import { describe, expect, it } from 'vitest';
import { classifiedRules } from './classify.ts';
import { appliedModel } from './model.ts';
import { readFileSync } from 'node:fs';
import { HBH } from './nft-fixtures.test-helpers.ts';

const save = (...rules: string[]) => ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n');
const unvaried = (v6: string, v4 = '') => classifiedRules(appliedModel({ v4, v6 }), 'unvaried').map((r) => `${r.family} ${r.match}: ${r.rule}`);

describe('classifiedRules', () => {
  it('flags a MAC match (the clients never vary their MAC) and an unknown target, naming the rule', () => {
    const v4 = save('-A INPUT -m mac --mac-source 02:42:AC:11:00:02 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 22 -j NFQUEUE --queue-num 1');
    expect(unvaried('', v4)).toEqual(['ipv4 mac: -A INPUT -m mac --mac-source 02:42:AC:11:00:02 -j ACCEPT', 'ipv4 nfqueue: -A INPUT -p tcp -m tcp --dport 22 -j NFQUEUE --queue-num 1']);
  });

  it('calls -m hbh alone varied (a Hop-by-Hop header is tried), and unvaried once it pins options', () => {
    expect(unvaried(save('-A INPUT -m hbh -j ACCEPT', '-A INPUT -m dst -j ACCEPT'))).toEqual([]);
    expect(unvaried(save('-A INPUT -m hbh --hbh-opts 5 -j ACCEPT'))).toEqual(['ipv6 hbh: -A INPUT -m hbh --hbh-opts 5 -j ACCEPT']);
  });

  it("calls a DROP on a header the clients never send neutral (ufw's RH0 rule), an ACCEPT on one unvaried", () => {
    expect(unvaried(save('-A INPUT -m rt --rt-type 0 -j DROP', '-A INPUT -f -j DROP'))).toEqual([]);
    expect(unvaried(save('-A INPUT -m rt --rt-type 0 -j ACCEPT')).map((r) => r.split(':')[0])).toEqual(['ipv6 rt']);
  });

  it('calls flag drops varied one by one but not together unvaried: with both, a SYN|URG meets neither while every tried SYN is dropped', () => {
    const psh = '-A INPUT -p tcp -m tcp --dport 3306 --tcp-flags PSH PSH -j DROP';
    const bare = '-A INPUT -p tcp -m tcp --dport 3306 --tcp-flags URG,PSH NONE -j DROP';
    expect(unvaried('', save(psh))).toEqual([]);
    expect(unvaried('', save(bare))).toEqual([]);
    expect(unvaried('', save(psh, bare))).toEqual([`ipv4 tcp flags: ${psh}`, `ipv4 tcp flags: ${bare}`]);
    // ufw's `--syn` beside a PSH drop: every connecting SYN meets `--syn`, so the tried ones speak for them.
    expect(unvaried('', save(psh, '-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'))).toEqual([]);
  });

  it("reads nft's bitmask tests (`tcp flags ! psh,urg`: none set) and judges its flag drops together", () => {
    // nft 1.0.6's listing of test/fixtures/attacks/packet-variants/syn-urg.nft.
    const nft = {
      v4: '',
      v6: '',
      nft: 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tct state established,related accept\n\t\ttcp dport 3306 tcp flags & psh == psh drop\n\t\ttcp dport 3306 tcp flags ! psh,urg drop\n\t}\n}\n',
      nftJson:
        '{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},{"table":{"family":"inet","name":"filter","handle":1}},{"chain":{"family":"inet","table":"filter","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"accept"}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":2,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"accept":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":3,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":3306}},{"match":{"op":"==","left":{"&":[{"payload":{"protocol":"tcp","field":"flags"}},"psh"]},"right":"psh"}},{"drop":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":4,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":3306}},{"match":{"op":"!","left":{"payload":{"protocol":"tcp","field":"flags"}},"right":["psh","urg"]}},{"drop":null}]}}]}',
    };
    const flagged = classifiedRules(appliedModel(nft), 'unvaried').map((r) => `${r.family} ${r.match}: ${r.rule}`);
    expect([...flagged].sort()).toEqual(
      [
        'ipv4 tcp flags: tcp dport 3306 tcp flags & psh == psh drop',
        'ipv6 tcp flags: tcp dport 3306 tcp flags & psh == psh drop',
        'ipv4 tcp flags: tcp dport 3306 tcp flags ! psh,urg drop',
        'ipv6 tcp flags: tcp dport 3306 tcp flags ! psh,urg drop',
      ].sort(),
    );
  });

  it('fails closed on a module it does not know', () => {
    expect(unvaried(save('-A INPUT -m futuristic --thing 1 -j ACCEPT')).map((r) => r.split(':')[0])).toEqual(['ipv6 futuristic']);
  });

  it("leaves out ufw's neighbour discovery rules: pinned to ICMPv6, they cannot decide a TCP/UDP port", () => {
    const v6 = save(
      '-A INPUT -j ufw6-before-input',
      '-A ufw6-before-input -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m hl --hl-eq 255 -j ACCEPT',
      '-A ufw6-before-input -p ipv6-icmp -m icmp6 --icmpv6-type 136 -m hl --hl-eq 255 -j ACCEPT',
      '-A ufw6-before-input -p tcp -m hl --hl-eq 255 -j ACCEPT',
    );
    expect(unvaried(v6)).toEqual(['ipv6 hl: -A ufw6-before-input -p tcp -m hl --hl-eq 255 -j ACCEPT']);
  });

  it('leaves out rules in chains no hook reaches, and rules that only log', () => {
    const v4 = save('-A orphan -m dscp --dscp 0x2e -j ACCEPT', '-A INPUT -m dscp --dscp 0x2e -j LOG --log-prefix "ef "');
    expect(unvaried('', v4)).toEqual([]);
    expect(unvaried('', `${v4}\n*filter\n-A INPUT -p tcp -j orphan\nCOMMIT\n`)).toHaveLength(1);
  });

  it('reads conntrack state by polarity: NEW on a DROP is unvaried, established or invalid ones are neutral', () => {
    const v4 = save(
      '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A INPUT -m conntrack --ctstate INVALID -j DROP',
      '-A INPUT -p tcp -m state --state NEW -m tcp --dport 80 -j ACCEPT',
      '-A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 3306 -j DROP',
      '-A INPUT -p tcp -m conntrack ! --ctstate INVALID,UNTRACKED -m tcp --dport 3307 -j DROP',
      '-A INPUT -m conntrack --ctstate NEW -j SERVICES',
      '-A INPUT -m conntrack --ctstatus DNAT -j ACCEPT',
      '-A INPUT -m conntrack --ctstatus EXPECTED -j ACCEPT',
      ':SERVICES - [0:0]',
    );
    expect(unvaried('', v4).map((r) => r.split(': ')[1])).toEqual([
      '-A INPUT -p tcp -m conntrack --ctstate NEW -m tcp --dport 3306 -j DROP',
      '-A INPUT -p tcp -m conntrack ! --ctstate INVALID,UNTRACKED -m tcp --dport 3307 -j DROP',
      '-A INPUT -m conntrack --ctstatus EXPECTED -j ACCEPT',
    ]);
  });

  it('reads TCP flags against the SYN shapes tried: exact SYN is varied, a flag no SYN tried carries is not', () => {
    expect(unvaried('', save('-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,PSH,ACK,URG,ECE,CWR SYN -j DROP', '-A INPUT -p tcp -m tcp --syn -j DROP'))).toEqual([]);
    expect(unvaried('', save('-A INPUT -p tcp -m tcp --tcp-flags SYN,URG SYN -j DROP'))).toHaveLength(1);
  });

  it('reads native nft tables from JSON: MAC, hop limit, marks and NEW-only drops are unvaried; ICMPv6 rules and unreached chains are not read', () => {
    const found = classifiedRules(appliedModel({ v4: '', v6: '', ...HBH }), 'unvaried').map((r) => `${r.match}: ${r.rule}`);
    expect(found).toEqual([
      'ether saddr: ether saddr 02:42:ac:11:00:02 accept',
      'ct state: ct state new tcp dport 3306 drop',
      'ip6 hoplimit: tcp dport 3306 ip6 hoplimit 64 drop',
      'meta mark: meta mark 0x00000005 accept',
    ]);
  });
});

describe("ufw's stock rules (scenarios/ufw/allow-ssh-dns, as iptables-save read them back from the image)", () => {
  it('make no TCP/UDP verdict unverified: their hop-limit and RH0 rules cannot decide a port', async () => {
    const { readFile } = await import('node:fs/promises');
    const read = (f: string) => readFile(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
    const saved = { v4: await read('ufw-allow-ssh-dns.v4'), v6: await read('ufw-allow-ssh-dns.v6') };
    expect(saved.v6).toContain('-m hl --hl-eq 255 -j ACCEPT');
    expect(saved.v6).toContain('-m rt --rt-type 0 -j DROP');
    expect(classifiedRules(appliedModel(saved), 'unvaried')).toEqual([]);
    // Their only rate matches sit on logging: `-m limit … -j RETURN` in front of a LOG, and the jump into it.
    expect(saved.v4).toContain('-A ufw-logging-deny -m conntrack --ctstate INVALID -m limit --limit 3/min --limit-burst 10 -j RETURN');
    expect(classifiedRules(appliedModel(saved), 'rate')).toEqual([]);
  });

  it('port knocking is unvaried: an ACCEPT on `recent` history another rule sets; a DROP on it stays rate', () => {
    const knock = [
      '-A INPUT -p tcp -m tcp --dport 47001 -m recent --set --name knock --rsource -j DROP',
      '-A INPUT -p tcp -m tcp --dport 22 -m recent --rcheck --seconds 60 --name knock --rsource -j ACCEPT',
    ];
    expect(unvaried('', save(...knock))).toEqual([`ipv4 recent: ${knock[1]!}`]);
    const ban = save('-A INPUT -p tcp -m tcp --dport 22 -m recent --update --seconds 60 --hitcount 4 --name ssh -j DROP', '-A INPUT -p tcp -m tcp --dport 22 -m recent --set --name ssh -j ACCEPT');
    expect(unvaried('', ban)).toEqual([]);
    expect(classifiedRules(appliedModel({ v4: ban, v6: '' }), 'rate').map((r) => r.match)).toEqual(['recent', 'recent']);
    const ufwLimit = save(
      '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name DEFAULT --rsource',
      '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 --name DEFAULT --rsource -j ufw-user-limit',
      '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT',
      '-A ufw-user-limit -j REJECT',
    ).replace(':OUTPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]\n:ufw-user-limit - [0:0]');
    expect(unvaried('', ufwLimit)).toEqual([]);
    const notKnocked = '-A INPUT -p tcp -m tcp --dport 22 -m recent ! --rcheck --name knock -j DROP';
    expect(unvaried('', save(notKnocked))).toEqual([`ipv4 recent: ${notKnocked}`]);
  });

  it('port knocking in nft is unvaried: an ACCEPT on a set another rule writes (`update @k4 { ip saddr }`)', () => {
    const nft = [
      'table inet knock {',
      '  chain input {',
      '    type filter hook input priority filter; policy drop;',
      ...[
        'iifname "lo" accept',
        'ct state established,related accept',
        'meta l4proto ipv6-icmp accept',
        'tcp dport 47001 update @k4 { ip saddr } drop',
        'tcp dport 47001 update @k6 { ip6 saddr } drop',
        'tcp dport 22 ip saddr @k4 accept',
        'tcp dport 22 ip6 saddr @k6 accept',
      ].map((r) => `    ${r}`),
      '  }',
      '}',
    ].join('\n');
    // nft 1.0.6's own JSON listing of that table, read back in the target image.
    const nftJson = readFileSync(new URL('./fixtures/knock.json', import.meta.url), 'utf8');
    const found = classifiedRules(appliedModel({ v4: '', v6: '', nft, nftJson }), 'unvaried').map((r) => `${r.family} ${r.match}: ${r.rule}`);
    expect(found).toEqual(['ipv4 dynamic set: tcp dport 22 ip saddr @k4 accept', 'ipv6 dynamic set: tcp dport 22 ip6 saddr @k6 accept']);
  });
});
