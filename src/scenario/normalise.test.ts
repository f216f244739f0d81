import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';
import type { ExpectationSet } from '../model/scenario.ts';
import { formsText } from './forms/index.ts';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fwprobe-normalise-'));
  file = join(dir, 'x.scenario.yaml');
  await writeFile(join(dir, 'rules.v4'), '*filter\nCOMMIT\n');
  await writeFile(join(dir, 'fw.sh'), 'iptables -P INPUT DROP\n');
  await writeFile(join(dir, 'policy.yaml'), 'inbound:\n  - { port: 22, protocol: tcp }\n');
  await writeFile(join(dir, 'bad-policy.yaml'), 'allow: []\n');
});

// Valid on its own: one port scanned (9/udp) and `parity: strict` as its assertion. Tests override fields.
const base = { name: 'n', ruleset: { none: true }, parity: 'strict', ports: { udp: [9] } } as const;

function normalise(input: Record<string, unknown>) {
  return normaliseScenario({ ...base, ...input }, { file });
}

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normalise(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function set(partial: Partial<ExpectationSet> & Pick<ExpectationSet, 'vantage' | 'family' | 'protocol'>) {
  return { open: [], closed: [], filtered: [], unreachable: [], others: null, ...partial };
}

describe('normaliseScenario: defaults', () => {
  it('fills defaults: nft, both vantages, strict parity, empty description', async () => {
    const s = await normaliseScenario({ name: '  trimmed  ', ruleset: { none: true }, expect: { loopback: { ipv4: { tcp: { open: [22] } } } } }, { file });
    expect(s).toMatchObject({
      name: 'trimmed',
      description: '',
      file,
      backend: 'nft',
      vantages: ['loopback', 'peer'],
      services: [],
      ruleset: { kind: 'none' },
      parity: { mode: 'strict', exceptions: [] },
      scan: { tcp: { kind: 'list', ports: [22] }, udp: { kind: 'list', ports: [] } },
    });
  });

  it('rejects a scenario that scans nothing, even under strict parity', async () => {
    expect(await issuesOf({ ports: {} })).toEqual(['services: expected at least one port to scan (services, ports or an expectation), found none: nothing would be scanned']);
  });

  it('rejects a scenario that asserts nothing (no expectation, parity not written out as strict)', async () => {
    const message = 'expect: expected at least one expectation (or `parity: strict` written out, to assert only that IPv4 and IPv6 agree), found none: this scenario would pass whatever the scans see';
    expect(await issuesOf({ parity: 'report' })).toEqual([message]);
    // Strict by default, yet a scenario that forgot its expectations is still told so.
    expect(await issuesOf({ parity: undefined })).toEqual([message]);
    expect(await issuesOf({ parity: { exceptions: [{ port: '9/udp', why: 'x' }] } })).toEqual([message]);
    expect((await normalise({ parity: { mode: 'strict' } })).parity.mode).toBe('strict');
  });

  it('orders vantages canonically', async () => {
    expect((await normalise({ vantages: ['peer', 'loopback'] })).vantages).toEqual(['loopback', 'peer']);
  });

  it('rejects a repeated vantage', async () => {
    expect(await issuesOf({ vantages: ['peer', 'peer'] })).toEqual(['vantages.1: expected each vantage once, found peer again']);
  });
});

describe('normaliseScenario: services', () => {
  it('expands ranges and derives bind from families', async () => {
    const s = await normalise({
      services: [
        '22/tcp',
        '1000-1002/udp',
        { port: 53, protocol: 'udp', families: ['ipv4'] },
        { port: '80', protocol: 'tcp', families: ['ipv6'] },
        { port: 81, protocol: 'tcp', families: ['ipv6', 'ipv4'] },
        { port: 443, protocol: 'tcp', bind: '127.0.0.1' },
      ],
    });
    expect(s.services).toEqual([
      { protocol: 'tcp', port: 22, bind: 'any' },
      { protocol: 'udp', port: 1000, bind: 'any' },
      { protocol: 'udp', port: 1001, bind: 'any' },
      { protocol: 'udp', port: 1002, bind: 'any' },
      { protocol: 'udp', port: 53, bind: 'any4' },
      { protocol: 'tcp', port: 80, bind: 'any6' },
      { protocol: 'tcp', port: 81, bind: 'any' },
      { protocol: 'tcp', port: 443, bind: '127.0.0.1' },
    ]);
  });

  it('allows the same port on disjoint families', async () => {
    const s = await normalise({
      services: [
        { port: 22, protocol: 'tcp', bind: 'any4' },
        { port: 22, protocol: 'tcp', bind: '::1' },
      ],
    });
    expect(s.services.map((x) => x.bind)).toEqual(['any4', '::1']);
  });

  it('rejects a duplicate inside a range', async () => {
    expect(await issuesOf({ services: ['1000-1010/tcp', '1005/tcp'] })).toEqual([
      'services.1: expected each port/protocol/family once, found 1005/tcp on ipv4 and ipv6 already declared by services[0]: remove one, or give them disjoint families',
    ]);
  });

  it('rejects bind and families that disagree, and a bind that is no address', async () => {
    expect(
      await issuesOf({
        services: [
          { port: 22, protocol: 'tcp', families: ['ipv4', 'ipv6'], bind: 'any4' },
          { port: 23, protocol: 'tcp', bind: 'localhost' },
        ],
      }),
    ).toEqual([
      'services.0.bind: expected a bind address serving families [ipv4, ipv6], found "any4" which serves [ipv4]: make families and bind agree, or drop one of them',
      'services.1.bind: expected any, any4, any6 or an IP address, found "localhost"',
    ]);
  });

  it('rejects a reversed range and a malformed ref', async () => {
    expect(await issuesOf({ services: ['1010-1000/tcp', '22/sctp'] })).toEqual([
      'services.0: expected a range from low to high, like "1000-1010", found "1010-1000/tcp"',
      'services.1: expected a port with protocol like "22/tcp" or "1000-1010/udp", found "22/sctp"',
    ]);
  });
});

describe('normaliseScenario: scan selection', () => {
  it('unites services, ports and expectation ports, sorted and unique', async () => {
    const s = await normalise({
      services: ['22/tcp', '53/udp'],
      ports: { tcp: [81, '1000-1002', 22], udp: ['123'] },
      expect: { loopback: { ipv4: { tcp: { filtered: [8080, 81] }, udp: { closed: [5353] } } } },
    });
    expect(s.scan).toEqual({
      tcp: { kind: 'list', ports: [22, 81, 1000, 1001, 1002, 8080] },
      udp: { kind: 'list', ports: [53, 123, 5353] },
    });
  });

  it('all scans 1-65535', async () => {
    const s = await normalise({ ports: { tcp: 'all' } });
    expect(s.scan.tcp.kind).toBe('list');
    expect(s.scan.tcp.ports).toHaveLength(65535);
    expect(s.scan.tcp.ports[0]).toBe(1);
    expect(s.scan.tcp.ports.at(-1)).toBe(65535);
  });

  it('top-N keeps the explicit ports beside it', async () => {
    const s = await normalise({ services: ['22/tcp'], ports: { tcp: ['top-100', 8443] } });
    expect(s.scan.tcp).toEqual({ kind: 'top', count: 100, ports: [22, 8443] });
    const single = await normalise({ ports: { udp: 'top-20' } });
    expect(single.scan.udp).toEqual({ kind: 'top', count: 20, ports: [] });
  });

  it('rejects two top-N and an out-of-range N', async () => {
    expect(await issuesOf({ ports: { tcp: ['top-10', 'top-20'] } })).toEqual(['ports.tcp.1: expected at most one top-N, found top-10 and top-20: keep one']);
    expect(await issuesOf({ ports: { tcp: 'top-70000' } })).toEqual(['ports.tcp: expected top-N with N in 1-65535, found "top-70000"']);
  });
});

describe('normaliseScenario: expectations', () => {
  it('expands both and merges into one set per vantage × family × protocol', async () => {
    const s = await normalise({
      services: ['22/tcp', '53/tcp', '80/tcp'],
      vantages: ['loopback'],
      expect: {
        loopback: {
          ipv4: { tcp: { filtered: ['53', 80], others: 'closed' } },
          both: { tcp: { open: [22] } },
          ipv6: { tcp: { open: [22, 53] } },
        },
      },
    });
    expect(s.expectations).toEqual([
      set({ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', open: [22], filtered: [53, 80], others: 'closed' }),
      set({ vantage: 'loopback', family: 'ipv6', protocol: 'tcp', open: [22, 53] }),
    ]);
  });

  it('exposed: open from the peer on both families, every other scanned protocol not-open', async () => {
    const s = await normalise({
      services: ['22/tcp', '53/udp'],
      expect: { exposed: ['22/tcp'], peer: { ipv6: { tcp: { filtered: [80] } } } },
    });
    expect(s.expectations).toEqual([
      set({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', open: [22], others: 'not-open' }),
      set({ vantage: 'peer', family: 'ipv4', protocol: 'udp', others: 'not-open' }),
      set({ vantage: 'peer', family: 'ipv6', protocol: 'tcp', open: [22], filtered: [80], others: 'not-open' }),
      set({ vantage: 'peer', family: 'ipv6', protocol: 'udp', others: 'not-open' }),
    ]);
  });

  it('an explicit others wins over the not-open of exposed', async () => {
    const s = await normalise({
      services: ['22/tcp'],
      expect: { exposed: ['22/tcp'], peer: { both: { tcp: { others: 'filtered' } } } },
    });
    // TCP: the explicit `filtered`; UDP (9/udp from the base) keeps exposed's `not-open`.
    expect(s.expectations.map((e) => `${e.family} ${e.protocol} ${e.others}`)).toEqual(['ipv4 tcp filtered', 'ipv4 udp not-open', 'ipv6 tcp filtered', 'ipv6 udp not-open']);
  });

  it('rejects exposed conflicting with an explicit list', async () => {
    expect(await issuesOf({ services: ['22/tcp'], expect: { exposed: ['22/tcp'], peer: { ipv6: { tcp: { filtered: [22] } } } } })).toEqual([
      'expect.exposed.0: expected peer ipv6 tcp/22 in one list, found it open here and filtered at expect.peer.ipv6.tcp.filtered[0]: keep one',
    ]);
  });

  it('rejects two different others for one set, via both', async () => {
    expect(
      await issuesOf({
        services: ['22/tcp'],
        expect: { loopback: { ipv4: { tcp: { others: 'closed' } }, both: { tcp: { others: 'filtered' } } } },
      }),
    ).toEqual(['expect.loopback.both.tcp.others: expected one "others" for loopback ipv4 tcp, found filtered here and closed at expect.loopback.ipv4.tcp.others: keep one']);
  });

  it('a repeated port in the same list is merged, not an error', async () => {
    const s = await normalise({ vantages: ['loopback'], expect: { loopback: { both: { tcp: { open: [22] } }, ipv4: { tcp: { open: ['20-22'] } } } } });
    expect(s.expectations[0]?.open).toEqual([20, 21, 22]);
  });
});

describe('normaliseScenario: parity', () => {
  it('accepts the short form and expands exception ranges', async () => {
    expect((await normalise({ parity: 'strict' })).parity).toEqual({ mode: 'strict', exceptions: [] });
    const s = await normalise({
      services: ['53/tcp', '100-101/udp'],
      parity: {
        mode: 'strict',
        exceptions: [
          { port: '100-101/udp', why: ' by design ' },
          { port: '53/tcp', vantage: 'peer', why: 'dns' },
        ],
      },
    });
    expect(s.parity).toEqual({
      mode: 'strict',
      exceptions: [
        { vantage: 'peer', protocol: 'tcp', port: 53, why: 'dns' },
        { vantage: 'all', protocol: 'udp', port: 100, why: 'by design' },
        { vantage: 'all', protocol: 'udp', port: 101, why: 'by design' },
      ],
    });
  });

  it('allows an exception on any port under top-N (unknown until scan time), not on a port never scanned', async () => {
    const top = await normalise({ ports: { tcp: 'top-10' }, parity: { mode: 'strict', exceptions: [{ port: '8080/tcp', why: 'x' }] } });
    expect(top.parity.exceptions).toHaveLength(1);
    expect(await issuesOf({ services: ['22/tcp'], parity: { mode: 'strict', exceptions: [{ port: '8080/tcp', why: 'x' }] } })).toEqual([
      'parity.exceptions.0.port: expected a scanned port, found 8080/tcp, which is never scanned: add it to services, ports.tcp or an expectation, or remove this exception',
    ]);
  });

  it('is strict unless the scenario says report, in either syntax', async () => {
    const expectation = { expect: { loopback: { ipv4: { udp: { closed: [9] } } } } };
    expect((await normalise({ ...expectation, parity: undefined })).parity).toEqual({ mode: 'strict', exceptions: [] });
    expect((await normalise({ ...expectation, parity: { exceptions: [{ port: '9/udp', why: 'x' }] } })).parity.mode).toBe('strict');
    expect((await normalise({ ...expectation, parity: 'report' })).parity.mode).toBe('report');
    expect((await normalise({ ...expectation, parity: { mode: 'report' } })).parity.mode).toBe('report');
  });

  it('rejects an empty why', async () => {
    expect(await issuesOf({ parity: { exceptions: [{ port: '22/tcp', why: '  ' }] } })).toEqual([
      'parity.exceptions.0.why: a non-empty reason (why) is required: say why IPv4 and IPv6 may differ here, found "  "',
    ]);
  });
});

describe('normaliseScenario: rulesets', () => {
  it('reads restore files relative to the scenario', async () => {
    const s = await normalise({ ruleset: { v4: 'rules.v4' } });
    expect(s.ruleset).toEqual({ kind: 'restore', v4: { path: join(dir, 'rules.v4'), text: '*filter\nCOMMIT\n' }, v6: null });
  });

  it('reads scripts with their tolerate list', async () => {
    const s = await normalise({ ruleset: { script: 'fw.sh', tolerate: [{ match: 'modprobe', why: 'no modules' }] } });
    expect(s.ruleset).toEqual({
      kind: 'script',
      script: { path: join(dir, 'fw.sh'), text: 'iptables -P INPUT DROP\n' },
      tolerate: [{ match: 'modprobe', why: 'no modules' }],
      leftoversAllowed: null,
    });
    const allowed = await normalise({ ruleset: { script: 'fw.sh', leftovers: { allow: true, why: 'a log shipper' } } });
    expect(allowed.ruleset).toMatchObject({ kind: 'script', leftoversAllowed: 'a log shipper' });
  });

  it('generator: preset with params stringified, and a policy file', async () => {
    const s = await normalise({ ruleset: { preset: 'book-2009', params: { int_net: '172.30.0.0/16', internal_interface: 'eth1' } } });
    expect(s.ruleset).toMatchObject({ kind: 'generate', preset: 'book-2009', policy: null, params: { int_net: '172.30.0.0/16', internal_interface: 'eth1' } });
    // Generated once, at load: the lab applies these texts, with the parameters in them.
    const generated = s.ruleset.kind === 'generate' ? s.ruleset.generated : undefined;
    expect(generated?.v4.text).toContain('172.30.0.0/16');
    expect(generated?.v6?.text).toMatch(/^:INPUT DROP/m);
    const p = await normalise({ ruleset: { policy: 'policy.yaml' } });
    expect(p.ruleset).toMatchObject({ kind: 'generate', preset: null, policy: { path: join(dir, 'policy.yaml') } });
  });

  it('rejects an unknown preset, parameter or an invalid policy at load time, naming the field', async () => {
    expect(await issuesOf({ ruleset: { preset: 'book-2010' } })).toEqual(['ruleset.preset: Unknown preset "book-2010". Valid presets: book-2007, book-2009.']);
    const [params] = await issuesOf({ ruleset: { preset: 'book-2009', params: { SSH: 22 } } });
    expect(params).toMatch(/^ruleset\.params: Unknown parameter "SSH" for preset book-2009\. Valid parameters: internal_interface/);
    const [policy] = await issuesOf({ ruleset: { policy: 'bad-policy.yaml' } });
    // The policy's own text (here the unknown key `allow`) is not quoted: a scenario named the file.
    expect(policy).toMatch(/^ruleset\.policy: Invalid policy .*bad-policy\.yaml:\n  - \(root\): has an unknown field: .* \(line 1\)/);
  });

  it('a wrong type inside one ruleset form names that field, not "unknown field"', async () => {
    expect(await issuesOf({ ruleset: { v4: 5 } })).toEqual(['ruleset.v4: expected string, found 5']);
    expect(await issuesOf({ ruleset: { script: 'fw.sh', tolerate: 'modprobe' } })).toEqual(['ruleset.tolerate: expected array, found "modprobe"']);
  });

  it('rejects mixed forms, an empty ruleset and a tolerance without why', async () => {
    expect(await issuesOf({ ruleset: { v4: 'rules.v4', script: 'fw.sh' } })).toEqual([
      `ruleset: expected exactly one form: ${formsText()}, or a list of at least two of them (layers, applied in order), found {"v4":"rules.v4","script":"fw.sh"}`,
    ]);
    expect(await issuesOf({ ruleset: {} })).toEqual([`ruleset: expected exactly one form: ${formsText()}, found an empty ruleset`]);
    expect(await issuesOf({ ruleset: { script: 'fw.sh', tolerate: [{ match: 'modprobe' }] } })).toEqual(['ruleset.tolerate.0.why: a reason (why) is required: say why this failure is harmless']);
  });

  it('a missing script is SCENARIO_FILE_MISSING with the resolved path', async () => {
    const error = await normalise({ ruleset: { script: 'nope.sh' } }).catch((e: unknown) => e as ScenarioError);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).code).toBe('SCENARIO_FILE_MISSING');
    expect((error as ScenarioError).message).toContain(`ruleset.script: expected a readable ruleset file, found no such file: ${join(dir, 'nope.sh')}`);
  });
});

describe('normaliseScenario: top-level shape', () => {
  it('rejects a missing name and ruleset, and a non-object document', async () => {
    expect(await issuesOf({ name: undefined, ruleset: undefined })).toEqual([
      'name: expected a non-empty name',
      `ruleset: missing required field, expected exactly one form: ${formsText()}, or a list of at least two of them (layers, applied in order)`,
    ]);
    const error = await normaliseScenario(null, { file }).catch((e: unknown) => e as ScenarioError);
    expect((error as ScenarioError).issues.map((i) => i.message)).toEqual(['expected object, found null']);
  });
});
