/**
 * Users' own firewall scripts and the checks that must fail on them: the book's iptables.sh as published
 * (it stops at its first bad line, with a fix hint), the same script in modern syntax (it runs and shows
 * the IPv6 gap, tolerated lines listed), strict parity against a v4-only ruleset (every gap port named),
 * and a silent UDP port that must not pass for open.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';
import type { ScenarioResult } from '../../src/report/result.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';

const FIXTURES = 'test/fixtures/user-scripts';
const PUBLISHED = join(FIXTURES, 'book-published.sh');
const MODERN = join(FIXTURES, 'book-modern.sh');

const TOLERATE_YAML = `  tolerate:
    - { match: MODPROBE, why: "no kernel modules can be loaded from a container; conntrack is built in" }
    - { match: /proc/sys, why: "/proc/sys is read-only in an unprivileged container; forwarding is not judged" }`;

const run = (file: string): Promise<ScenarioResult> => runScenarioFile(file, { image: inject('fwprobeImage') });

/** 1-based line of the first line of `text` containing `needle`: the expected line is read from the script. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`fixture has no line containing ${needle}`);
  return index + 1;
}

function linesOf(text: string, needle: string): number[] {
  return text.split('\n').flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
}

// Variants of the fixtures are written to a temporary directory, beside a scenario that runs them.
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scenarioWithScript(script: string, yamlTail: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-user-script-'));
  tempDirs.push(dir);
  await writeFile(join(dir, 'firewall.sh'), script);
  const file = join(dir, 'variant.scenario.yaml');
  await writeFile(file, `name: a variant of the book's script\nservices: [22/tcp, 53/tcp, 80/tcp]\n${yamlTail}\n`);
  return file;
}

describe.concurrent("the book's script", () => {
  test('as published, it fails at its first bad line: modprobe', async () => {
    const script = await readFile(PUBLISHED, 'utf8');
    const result = await run(join(FIXTURES, 'book-published.scenario.yaml'));
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_SCRIPT_FAILED');
    const line = lineOf(script, '$MODPROBE ip_conntrack');
    expect(result.error).toContain(`book-published.sh:${line}: \`$MODPROBE ip_conntrack\` failed with exit code 127`);
    expect(result.error).toContain('ruleset.tolerate');
    // Nothing after the failing line was judged: no scan ran on a half-applied ruleset.
    expect(result.scans).toEqual([]);
  });

  test('with the container failures tolerated, it fails at its first legacy negation: -s ! $INT_NET', async () => {
    const script = await readFile(PUBLISHED, 'utf8');
    const result = await run(join(FIXTURES, 'book-published-tolerated.scenario.yaml'));
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_SCRIPT_FAILED');
    expect(result.error).toContain(`book-published.sh:${lineOf(script, '-s ! $INT_NET')}: `);
    expect(result.error).toContain('the modern form is "! -s $INT_NET"');
    expect(result.error).toContain("Bad argument `192.168.10.0/24'");
    expect(result.scans).toEqual([]);
  });

  test('with the anti-spoofing lines fixed, it fails at the -i ! lo line', async () => {
    const script = (await readFile(PUBLISHED, 'utf8')).replaceAll('-s ! $INT_NET', '! -s $INT_NET');
    const file = await scenarioWithScript(script, `ruleset:\n  script: firewall.sh\n${TOLERATE_YAML}\nvantages: [loopback]\nexpect:\n  loopback: { ipv6: { tcp: { open: [22] } } }`);
    const result = await run(file);
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_SCRIPT_FAILED');
    const line = lineOf(script, '$IPTABLES -A INPUT -i ! lo');
    expect(result.error).toContain(`firewall.sh:${line}: \`$IPTABLES -A INPUT -i ! lo -j LOG`);
    expect(result.error).toContain('the modern form is "! -i lo"');
    expect(result.error).toContain("Bad argument `lo'");
    expect(result.scans).toEqual([]);
  });

  test('in modern syntax, with a tolerate list, it runs and reproduces the post: IPv6 open', async () => {
    // Unchanged: the book ends on the tolerated /proc/sys line and a bare `exit`, which must count as success.
    const script = await readFile(MODERN, 'utf8');
    expect(script).toMatch(/^exit$/m);
    const file = await scenarioWithScript(
      script,
      `ruleset:\n  script: firewall.sh\n${TOLERATE_YAML}\nvantages: [loopback, peer]\n` +
        'expect:\n' +
        '  loopback: { ipv4: { tcp: { filtered: [22, 53, 80] } }, ipv6: { tcp: { open: [22, 53, 80] } } }\n' +
        '  peer: { ipv4: { tcp: { filtered: [22, 53, 80] } }, ipv6: { tcp: { open: [22, 53, 80] } } }\n' +
        'parity: report',
    );
    const result = await run(file);
    expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');

    const modprobe = 'no kernel modules can be loaded from a container; conntrack is built in';
    const procSys = '/proc/sys is read-only in an unprivileged container; forwarding is not judged';
    expect(result.tolerated.map(({ line, command, why }) => ({ line, command, why }))).toEqual([
      ...linesOf(script, '$MODPROBE ').map((line) => ({ line, command: script.split('\n')[line - 1], why: modprobe })),
      { line: lineOf(script, 'echo 1 > /proc/sys'), command: 'echo 1 > /proc/sys/net/ipv4/ip_forward', why: procSys },
    ]);
    expect(result.tolerated.every((t) => t.exitCode !== 0)).toBe(true);

    // The script touched IPv4 only: the kernel's IPv6 ruleset has no rule at all.
    expect(result.applied?.v4).toContain('-A INPUT ! -i lo -j LOG');
    expect(result.applied?.v6).not.toMatch(/^-A /m);
    // The post's finding, port by port: every service open over IPv6, from the host and from the network.
    const v6Open = result.observations.filter((o) => o.family === 'ipv6' && o.state === 'open');
    expect(v6Open.map((o) => `${o.vantage} ${o.port}`).sort()).toEqual(['loopback 22', 'loopback 53', 'loopback 80', 'peer 22', 'peer 53', 'peer 80']);
    expect((result.verdict?.parity ?? []).filter((p) => p.ipv6.state === 'open' && p.ipv4.state === 'filtered')).toHaveLength(6);
  });

  // After a tolerated failure `$?` still holds its status, so a bare `exit` (or the end of the script)
  // would exit non-zero; the runner must count both as success.
  test('in modern syntax, ending on a tolerated line and a bare exit, it runs', async () => {
    const result = await run(join(FIXTURES, 'book-modern.scenario.yaml'));
    expect(result.status, result.error).toBe('passed');
  });

  test('ending on a tolerated line without any exit, it runs; an explicit failing exit still fails', async () => {
    const modern = await readFile(MODERN, 'utf8');
    // The script is the 2009 post's v4-only host: the IPv6 gap is what it reproduces, so parity only reports it.
    const ruleset = `ruleset:\n  script: firewall.sh\n${TOLERATE_YAML}\nvantages: [loopback]\n` + 'expect:\n  loopback: { ipv6: { tcp: { open: [22] } } }\nparity: report';
    const noExit = await run(await scenarioWithScript(modern.replace(/^exit$/m, ''), ruleset));
    expect(noExit.status, noExit.error).toBe('passed');
    const exit3 = await run(await scenarioWithScript(modern.replace(/^exit$/m, 'exit 3'), ruleset));
    expect(exit3.status).toBe('error');
    expect(exit3.error).toContain('exited with code 3');
  });
});

describe.concurrent('checks that must fail', () => {
  test('strict parity against a v4-only ruleset fails and names every gap port', async () => {
    const result = await run(join(FIXTURES, 'v4-only-strict.scenario.yaml'));
    expect(result.status, result.error).toBe('failed');
    expect(result.verdict?.mismatches).toEqual([]);
    const gaps = (result.verdict?.parity ?? []).filter((f) => f.excusedBy === null).map((f) => `${f.vantage} ${f.protocol}/${f.port}`);
    expect(gaps.sort()).toEqual(['loopback tcp/80', 'loopback tcp/8080', 'loopback udp/5353', 'peer tcp/80', 'peer tcp/8080', 'peer udp/5353']);
    // Each finding says what each family answered.
    expect(result.verdict?.parity).toContainEqual(
      expect.objectContaining({
        vantage: 'peer',
        protocol: 'tcp',
        port: 80,
        ipv4: { state: 'filtered', reason: 'no-response' },
        ipv6: { state: 'open', reason: 'syn-ack' },
      }),
    );
  });

  test('a silent UDP port (open|filtered) does not satisfy open', async () => {
    const result = await run(join(FIXTURES, 'udp-silent-not-open.scenario.yaml'));
    expect(result.status, result.error).toBe('failed');
    const seen = (result.verdict?.mismatches ?? []).map(({ vantage, family, protocol, port, expected, observed, reason }) => ({ vantage, family, protocol, port, expected, observed, reason }));
    expect(seen).toEqual(
      (['ipv4', 'ipv6'] as const).map((family) => ({
        vantage: 'loopback',
        family,
        protocol: 'udp',
        port: 53,
        expected: ['open'],
        observed: 'open|filtered',
        reason: 'no-response',
      })),
    );
  });
});
