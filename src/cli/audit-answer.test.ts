/**
 * Attack fixture for `fwprobe audit`'s sentence: a host that serves a port over IPv6 only, on an address the
 * lab's target does not hold (a second global IPv6 address, a link-local one). Capture drops the socket with
 * a note, the port is never scanned, and the lab found both families alike: before this, audit printed "IPv6
 * is filtered like IPv4" and exited 0 for a host whose IPv4 rules drop 8080 and whose IPv6 has no rule.
 */
import { describe, expect, test } from 'vitest';
import { fixedResult } from '../report/fixtures.test-helpers.ts';
import { answerIpv6 } from '../report/ipv6-answer.ts';
import { bundleText, V4_ONLY_HOST } from '../scenario/bundle/bundle.test-helpers.ts';
import { captureBundle, unanswerable } from '../scenario/bundle/index.ts';

const HOST = {
  ...V4_ONLY_HOST,
  ss: [
    'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
    'tcp   LISTEN 0      128   [2001:db8:1::20]:8080      [::]:*',
    'tcp   LISTEN 0      128     [fe80::1%eth0]:9090      [::]:*',
  ].join('\n'),
  ip_addr: JSON.stringify([
    {
      ifname: 'eth0',
      addr_info: [
        { family: 'inet', local: '192.0.2.10', prefixlen: 24, scope: 'global' },
        { family: 'inet6', local: '2001:db8:1::10', prefixlen: 64, scope: 'global' },
        { family: 'inet6', local: '2001:db8:1::20', prefixlen: 64, scope: 'global' },
        { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
      ],
    },
  ]),
};

describe('audit does not call IPv6 filtered like IPv4 for sockets the lab does not serve', () => {
  test('IPv6-only sockets on addresses the lab lacks make the answer "not answered", naming them', () => {
    const captured = captureBundle(bundleText(HOST), 'db1.json');
    const unknown = unanswerable(captured);
    expect(unknown).toMatch(/tcp \[2001:db8:1::20\]:8080, tcp \[fe80::1\]:9090/);
    const answer = answerIpv6(fixedResult(), { unknown: unknown! });
    expect(answer.kind).toBe('unanswered');
    expect(answer.sentence).not.toMatch(/filtered like IPv4/);
  });

  test('a host whose every socket the lab serves still gets its answer', () => {
    expect(unanswerable(captureBundle(bundleText({ ...HOST, ss: 'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*' }), 'db1.json'))).toBeUndefined();
  });

  test('unread sockets stay unanswerable, as before', () => {
    expect(unanswerable(captureBundle(bundleText({ ...HOST, ss: { status: 'failed', rc: 1 } }), 'db1.json'))).toMatch(/^the listening sockets were not read \(items\.ss: the command exited 1\)/);
  });
});

describe('audit does not call IPv6 filtered like IPv4 for rules the lab does not apply', () => {
  test('native nft tables beside iptables-legacy (dropped from the lab) make the answer "not answered"', () => {
    // The host's IPv4 is filtered by a native nft table only; the lab, legacy-only, applies none of it.
    const nft = 'table ip fw {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n';
    const captured = captureBundle(bundleText({ ...HOST, iptables_version: 'iptables v1.8.9 (legacy)\n', nft_ruleset: nft }), 'db1.json');
    expect(unanswerable(captured)).toMatch(/^the host holds native nftables tables beside iptables-legacy/);
    expect(unanswerable(captureBundle(bundleText({ ...HOST, ss: 'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*' }), 'db1.json'))).toBeUndefined();
  });
});

describe('audit does not call IPv6 filtered like IPv4 when the host runs two iptables backends', () => {
  test('iptables-nft-save warning of legacy tables (rules the bundle lacks) makes the answer "not answered"', () => {
    const save = `${String(HOST.iptables_save)}# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n`;
    const captured = captureBundle(bundleText({ ...HOST, ss: 'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*', ip6tables_save: save }), 'db1.json');
    expect(unanswerable(captured)).toMatch(/^the host also filters with iptables-legacy tables the bundle does not hold \(items\.ip6tables_save\)/);
    expect(captured.notes.join('\n')).toMatch(/iptables-legacy tables are present too/);
  });
});
