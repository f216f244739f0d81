import { describe, expect, test } from 'vitest';
import { BundleInvalidError } from '../../model/errors.ts';
import { bundleObject, bundleText, V4_ONLY_HOST } from './bundle.test-helpers.ts';
import { captureBundle } from './index.ts';
import { parseBundle, MAX_BUNDLE_BYTES } from './schema.ts';
import { ITEM_CAP_BYTES } from './collect-script.ts';

/** The refusal's message, or a failure when the bundle was accepted. */
function refusal(text: string): string {
  try {
    captureBundle(text, 'host.json');
  } catch (error) {
    expect(error).toBeInstanceOf(BundleInvalidError);
    return (error as Error).message;
  }
  throw new BundleInvalidError('the bundle was accepted');
}

describe('the bundle envelope', () => {
  test('a well-formed bundle decodes every item', () => {
    const bundle = parseBundle(bundleText(V4_ONLY_HOST), 'host.json');
    expect(bundle.hostname).toEqual({ status: 'ok', rc: 0, text: 'web1\n' });
    expect(bundle.docker_ps.status).toBe('missing');
  });

  test('not JSON, another format, a missing item and an extra key are refused with the field named', () => {
    expect(refusal('{"format": ')).toMatch(/^host\.json: not JSON/);
    expect(refusal(JSON.stringify({ ...bundleObject(V4_ONLY_HOST), format: 'fwprobe-bundle/9' }))).toMatch(/field format: expected "fwprobe-bundle\/1"/);
    const missing = bundleObject(V4_ONLY_HOST);
    delete missing.items['ss'];
    expect(refusal(JSON.stringify(missing))).toMatch(/field items\.ss: /);
    const extra = bundleObject(V4_ONLY_HOST);
    extra.items['rm_rf'] = { status: 'ok', rc: 0, out: '' };
    expect(refusal(JSON.stringify(extra))).toMatch(/field items: .*rm_rf/);
  });

  test('an output that is not base64, a bad status and an exit code out of range name their field', () => {
    const notBase64 = bundleObject(V4_ONLY_HOST);
    notBase64.items['ss'] = { status: 'ok', rc: 0, out: '$(reboot)' };
    expect(refusal(JSON.stringify(notBase64))).toMatch(/field items\.ss\.out: expected base64 text/);
    const status = bundleObject(V4_ONLY_HOST);
    status.items['uid'] = { status: 'pwned', rc: 0, out: '' };
    expect(refusal(JSON.stringify(status))).toMatch(/field items\.uid\.status/);
    const rc = bundleObject(V4_ONLY_HOST);
    rc.items['uid'] = { status: 'ok', rc: 1e9, out: '' };
    expect(refusal(JSON.stringify(rc))).toMatch(/field items\.uid\.rc/);
  });

  test('a huge field and an oversized bundle are refused before anything is decoded', () => {
    const huge = bundleObject(V4_ONLY_HOST);
    huge.items['iptables_save'] = { status: 'ok', rc: 0, out: 'A'.repeat(Math.ceil(ITEM_CAP_BYTES / 3) * 4 + 68) };
    expect(refusal(JSON.stringify(huge))).toMatch(/field items\.iptables_save\.out: expected at most \d+ base64 characters/);
    expect(() => parseBundle(' '.repeat(MAX_BUNDLE_BYTES + 1), 'big.json')).toThrow(/big\.json: expected a bundle of at most \d+ bytes/);
  });
});

describe('hostile values inside the items', () => {
  test('an interface name with a `;` is refused, naming the interface field', () => {
    const addr = JSON.stringify([{ ifname: 'eth0;reboot', addr_info: [] }]);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ip_addr: addr }))).toMatch(/items\.ip_addr\[0\]\.ifname: expected an interface name/);
  });

  test('an address that is no address, in ip -j addr and in ss, is refused with its place', () => {
    const addr = JSON.stringify([{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '10.0.0.1`id`', prefixlen: 24, scope: 'global' }] }]);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ip_addr: addr }))).toMatch(/items\.ip_addr\[0\]\.addr_info\[0\]\.local: expected an IPv4 address/);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ss: 'tcp LISTEN 0 1 10.0.0.1;x:22 0.0.0.0:*' }))).toMatch(/items\.ss line 1: expected an IP address or \*/);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ss: 'tcp LISTEN 0 1 10.0.0.1:99999 0.0.0.0:*' }))).toMatch(/items\.ss line 1: expected a port from 1 to 65535/);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ss: 'sctp LISTEN 0 1 10.0.0.1:22 0.0.0.0:*' }))).toMatch(/items\.ss line 1: expected tcp or udp/);
  });

  test('a ruleset that is no iptables-save output, or holds control characters, is refused naming the item and line', () => {
    expect(refusal(bundleText({ ...V4_ONLY_HOST, iptables_save: 'hello\n' }))).toMatch(/host\.json: items\.iptables_save:1: expected "\*TABLE" before "hello" \(expected iptables-save output\)/);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ip6tables_save: '*filter\n:INPUT DROP [0:0]\u001b[2J\nCOMMIT\n' }))).toMatch(
      /items\.ip6tables_save line 2: expected printable text, found a control character/,
    );
    expect(refusal(bundleText({ ...V4_ONLY_HOST, iptables_save: '*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\n' }))).toMatch(/items\.iptables_save:4: table \*filter has no COMMIT/);
  });

  test('an nft table with an include (nft -f would read a lab file by it) is refused', () => {
    const nft = 'table inet evil {\n\tinclude "/etc/shadow"\n}\n';
    expect(refusal(bundleText({ ...V4_ONLY_HOST, nft_ruleset: nft }))).toMatch(/items\.nft_ruleset: expected `nft list ruleset` output, found an include/);
  });

  test('too many listening sockets are refused', () => {
    const ss = Array.from({ length: 4097 }, (_, i) => `tcp LISTEN 0 1 10.0.0.1:${(i % 60000) + 1} 0.0.0.0:*`).join('\n');
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ss }))).toMatch(/items\.ss: expected at most 4096 listening sockets/);
  });

  test('too many interfaces are refused', () => {
    const addr = JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ ifname: `e${i}`, addr_info: [] })));
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ip_addr: addr }))).toMatch(/items\.ip_addr: .*256/);
  });

  test('a ruleset the collect script could not read refuses the capture: a scenario must not claim the host applies nothing', () => {
    expect(refusal(bundleText({ ...V4_ONLY_HOST, ip6tables_save: { status: 'failed', rc: 1 } }))).toMatch(/items\.ip6tables_save: the command exited 1, .*run the collect script as root/i);
    expect(refusal(bundleText({ ...V4_ONLY_HOST, iptables_save: { status: 'truncated', rc: -1, text: '*filter\n' } }))).toMatch(/items\.iptables_save: its output was cut at the cap/);
  });

  test('a hostname with control characters is not used as the scenario name', () => {
    const { files } = captureBundle(bundleText({ ...V4_ONLY_HOST, hostname: 'evil\u001b[2J\nname: x' }), 'host.json');
    expect(files['host.scenario.yaml']).toContain('name: captured host\n');
    expect(files['host.scenario.yaml']).not.toContain('\u001b');
  });
});
