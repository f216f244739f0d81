/**
 * Attack fixtures for `--anonymise`: originals real rulesets write touching a port, a word or a full stop,
 * interface names `ip addr` did not list, a hostname that is no scenario name. Each one was written to the
 * shared folder as it was before anonymise-text.ts; each assertion names the value that must be gone.
 */
import { describe, expect, test } from 'vitest';
import { ipToBigInt } from '../../model/ip.ts';
import { Anonymiser } from './anonymise.ts';
import { bundleText, V4_ONLY_HOST } from './bundle.test-helpers.ts';
import { captureBundle } from './index.ts';

const KEY = Buffer.alloc(32, 3);

function capture(items: Record<string, string>): string {
  const { files } = captureBundle(bundleText({ ...V4_ONLY_HOST, ...items }), 'b.json', { anonymiser: new Anonymiser(KEY) });
  return Object.values(files).join('\n');
}

/** Found as an address whatever touches it (a port, a letter, a full stop): a check independent of the mapper's token rules. */
function present(all: string, address: string): boolean {
  return new RegExp(`(?<!\\d)${address.replace(/\./g, '\\.')}(?!\\d)`).test(all);
}

describe('--anonymise leaves no original where real rulesets write them', () => {
  test('DNAT targets with a port (iptables --to-destination, nft dnat to) are mapped', () => {
    const all = capture({
      iptables_save: '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.9.8.7:8080\nCOMMIT\n',
      nft_ruleset: 'table inet nat2 {\n\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\ttcp dport 81 dnat ip to 10.9.8.6:8081\n\t}\n}\n',
    });
    expect(present(all, '10.9.8.7')).toBe(false);
    expect(present(all, '10.9.8.6')).toBe(false);
    expect(all).toMatch(/--to-destination 10\.\d+\.\d+\.\d+:8080\n/);
    expect(all).toMatch(/dnat ip to 10\.\d+\.\d+\.\d+:8081\n/);
  });

  test('addresses in comments touching a word, a port or a full stop are mapped', () => {
    const all = capture({ iptables_save: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --comment "db_10.44.3.2 gw=192.168.7.1:53 office is 10.44.3.9." -j ACCEPT\nCOMMIT\n' });
    for (const original of ['10.44.3.2', '192.168.7.1', '10.44.3.9']) expect(present(all, original), original).toBe(false);
  });

  test('a private range written whole (10.0.0.0/8) is kept and does not refuse the capture', () => {
    expect(capture({ iptables_save: '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n' })).toContain('-A INPUT -s 10.0.0.0/8 -j ACCEPT');
  });

  test('an interface the rules name but ip addr does not list (a link that is down) is mapped', () => {
    const all = capture({
      iptables_save: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i customer-acme -j ACCEPT\nCOMMIT\n',
      nft_ruleset: 'table inet f {\n\tchain c {\n\t\tiifname { "vpn-berlin", "eth0" } accept\n\t}\n}\n',
    });
    expect(all).not.toContain('customer-acme');
    expect(all).not.toContain('vpn-berlin');
    expect(all).toContain('"eth0"');
  });

  test('a hostname that is no scenario name (db_prod01) is still mapped in comments', () => {
    const all = capture({ hostname: 'db_prod01\n', iptables_save: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --comment "db_prod01 ssh" -j ACCEPT\nCOMMIT\n' });
    expect(all).not.toContain('db_prod01');
  });
});

describe('--anonymise keeps a ruleset loadable', () => {
  test('an nft set range maps with its ends in order (a reversed range fails nft -f in the lab), and says ranges moved', () => {
    const anonymiser = new Anonymiser(KEY);
    const { files, notes } = captureBundle(
      bundleText({ ...V4_ONLY_HOST, nft_ruleset: 'table inet f {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.1.1.1-10.1.1.9, 10.7.0.1-10.7.0.200 }\n\t}\n}\n' }),
      'b.json',
      { anonymiser },
    );
    const ranges = [...files['host.nft']!.matchAll(/(10\.[\d.]+)-(10\.[\d.]+)/g)];
    expect(ranges).toHaveLength(2);
    for (const [, a, b] of ranges) expect(ipToBigInt(a!) <= ipToBigInt(b!), `${a}-${b}`).toBe(true);
    expect(notes.join('\n')).toMatch(/an address range \(A-B\) was mapped end by end/);
  });
});
