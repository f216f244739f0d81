import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { PolicyError, PolicyFileError } from '../model/errors.ts';
import { loadPolicyFile, parsePolicy, parsePolicyYaml } from './policy-load.ts';

function problemsOf(yaml: string): string[] {
  try {
    parsePolicyYaml(yaml, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('POLICY_INVALID');
    expect((error as PolicyError).message).toContain('bad.yaml');
    return (error as PolicyError).problems;
  }
  throw new Error('policy was accepted');
}

describe('parsePolicy', () => {
  it('fills in every default', () => {
    const policy = parsePolicy({}, 'inline');
    expect(policy.ipv6).toBe('mirror');
    expect(policy.policies).toEqual({ input: 'drop', output: 'accept', forward: 'drop' });
    expect(policy.loopback).toBe('accept');
    expect(policy.state).toEqual({ invalid: 'log-drop', invalidPrefix: 'DROP INVALID ', established: true });
    expect(policy.logging).toEqual({ enabled: true, prefix: 'DROP ' });
    expect(policy.icmpv6.essential).toBe(true);
  });

  it('reads ports and ranges', () => {
    const policy = parsePolicy({ inbound: [{ port: 22 }, { port: '8000-8010', protocol: 'udp' }] }, 'inline');
    expect(policy.inbound.map((s) => [s.port, s.protocol])).toEqual([
      [{ from: 22, to: 22 }, 'tcp'],
      [{ from: 8000, to: 8010 }, 'udp'],
    ]);
  });

  it('names an unknown field by its path, at any depth', () => {
    expect(problemsOf('colour: red\ninbound:\n  - port: 22\n    sauces: {}\n')).toEqual([
      'inbound[0].sauces: unknown field "sauces": did you mean "sources"? (fields are case-sensitive) (line 4)',
      'colour: unknown field "colour": remove it or check its spelling (fields are case-sensitive) (line 1)',
    ]);
  });

  it('rejects port 70000 with the field path and the value', () => {
    expect(problemsOf('inbound:\n  - port: 22\n  - port: 80\n  - port: 70000\n')).toEqual(['inbound[2].port: expected 1-65535, got 70000 (line 4)']);
    expect(problemsOf('inbound: [{port: "90-80"}]')[0]).toMatch(/^inbound\[0\]\.port: expected a range with FROM <= TO/);
    expect(problemsOf('inbound: [{protocol: tcp}]')[0]).toBe('inbound[0].port: required, found nothing (line 1)');
  });

  it('rejects an IPv6 source in the IPv4 list, and the reverse', () => {
    const problems = problemsOf('inbound:\n  - port: 22\n    sources:\n      ipv4: ["2001:db8::/32"]\n      ipv6: [10.0.0.0/8]\n');
    expect(problems).toEqual([
      'inbound[0].sources.ipv4[0]: expected an IPv4 address or CIDR, got "2001:db8::/32", which is IPv6: list it under ipv6 (line 4)',
      'inbound[0].sources.ipv6[0]: expected an IPv6 address or CIDR, got "10.0.0.0/8", which is IPv4: list it under ipv4 (line 5)',
    ]);
    expect(problemsOf('spoof: {interface: eth0, ipv4: 10.0.0.0/33, ipv6: "fd00::/64"}')[0]).toContain('spoof.ipv4: expected an IPv4 address or CIDR, got "10.0.0.0/33": prefix length above 32');
  });

  it('rejects shell metacharacters in a log prefix, a comment and an interface', () => {
    expect(problemsOf('logging: {prefix: "DROP $(reboot) "}')).toEqual([
      'logging.prefix: contains "$", not allowed in a log prefix (allowed: letters, digits, space and _.:,=/()@%+-), found "DROP $(reboot) " (line 1)',
    ]);
    expect(problemsOf('inbound: [{port: 22, comment: "it\'s ssh"}]')[0]).toBe(
      'inbound[0].comment: contains "\'", not allowed in a comment (allowed: letters, digits, space and _.:,=/()@%+-), found "it\'s ssh" (line 1)',
    );
    expect(problemsOf('inbound: [{port: 22, interface: "eth0;reboot"}]')[0]).toBe(
      'inbound[0].interface: contains ";", not allowed in an interface name (allowed: letters, digits and _.+-), found "eth0;reboot" (line 1)',
    );
    expect(problemsOf('state: {invalidPrefix: "a`id`"}')[0]).toContain('state.invalidPrefix: contains "`"');
    expect(problemsOf('spoof: {interface: eth0, ipv4: 10.0.0.0/8, ipv6: "fd00::/8", prefix: "a\\nb"}')[0]).toContain('spoof.prefix: contains a newline');
    expect(problemsOf('logging: {prefix: "a very long log prefix, 30 chars"}')[0]).toContain('logging.prefix: expected at most 29 characters for a log prefix, got 32');
    expect(problemsOf('inbound: [{port: 22, interface: averyveryverylongname}]')[0]).toContain('expected an interface name of 1-15 characters');
  });

  it('checks values across fields', () => {
    expect(problemsOf('spoof: {interface: eth0, ipv4: 10.0.0.0/8}')).toEqual(['spoof.ipv6: required when ipv6 is mirror: give the internal IPv6 net, or set ipv6: block, found nothing (line 1)']);
    expect(problemsOf('outbound: [{port: 53}]')[0]).toMatch(/^outbound: has no effect while policies.output is accept/);
    expect(problemsOf('inbound: [{port: 22, sources: {}}]')[0]).toMatch(/^inbound\[0\]\.sources: lists no address/);
    expect(problemsOf('logging: {burst: 5}')[0]).toBe('logging.burst: needs logging.rate, found 5 (line 1)');
  });

  it('names enum values and types', () => {
    expect(problemsOf('ipv6: maybe\nloopback: 1\n')).toEqual([
      'ipv6: invalid option: expected one of "mirror"|"block"|"ignore", found "maybe" (line 1)',
      'loopback: invalid option: expected one of "accept"|"drop", found 1 (line 2)',
    ]);
    expect(problemsOf('inbound: {port: 22}')[0]).toBe('inbound: expected array, found {"port":22} (line 1)');
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-policy-'));

  it('names the file when it is missing or not YAML', async () => {
    await expect(loadPolicyFile(join(dir, 'none.yaml'))).rejects.toThrow(PolicyFileError);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'inbound: [\n');
    await expect(loadPolicyFile(broken)).rejects.toThrow(/Cannot load policy file .*broken\.yaml/);
    const dup = join(dir, 'dup.yaml');
    writeFileSync(dup, 'ipv6: block\nipv6: mirror\n');
    await expect(loadPolicyFile(dup)).rejects.toThrow(/line 2/);
  });

  it('names the file in validation errors', async () => {
    const file = join(dir, 'port.yaml');
    writeFileSync(file, 'inbound: [{port: 0}]\n');
    await expect(loadPolicyFile(file)).rejects.toThrow(`Invalid policy ${file}:\n  - inbound[0].port: expected 1-65535, got 0`);
  });
});
