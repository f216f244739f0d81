/**
 * The rules a real dockerd 20.10 wrote (test/fixtures/docker/, captured by scripts/capture-docker-rules.sh
 * from Debian's docker.io inside a Docker-host target) read by fwprobe's applied model: every match Docker
 * uses must be one the model knows (an unknown one would leave a published port undecided), and each
 * published port must show as a NAT-mapped port with the container it goes to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { appliedModel } from '../../src/ruleset/applied/model.ts';
import { classifiedRules, natMappedPorts } from '../../src/ruleset/applied/nat-ports.ts';

const FIXTURES = new URL('../fixtures/docker/20.10.24/', import.meta.url);
const read = (c: string, file: string) => readFileSync(new URL(`${c}/${file}`, FIXTURES), 'utf8');
const model = (c: string) => appliedModel({ v4: read(c, 'iptables-save.txt'), v6: read(c, 'ip6tables-save.txt') });
/** What each mapping reads as: family, protocol, port and target. */
const mapped = (c: string) => natMappedPorts(model(c)).map((m) => `${m.family} ${m.protocol} ${m.from}-${m.to} ${m.target}`);

const V4_MAPPINGS = ['ipv4 tcp 8080-8080 DNAT --to-destination 172.17.0.2:80', 'ipv4 udp 5353-5353 DNAT --to-destination 172.17.0.2:53', 'ipv4 tcp 5432-5432 DNAT --to-destination 172.17.0.3:5432'];

describe("dockerd 20.10.24's own rules for -p 8080:80, [::]:8443:443/tcp, 5353:53/udp, 127.0.0.1:5432:5432", () => {
  test.each(['default-nft', 'default-legacy', 'no-userland-proxy-nft', 'ip6tables-experimental-nft'])('%s: no match the model does not know', (c) => {
    expect(classifiedRules(model(c), 'unvaried')).toEqual([]);
  });

  test.each(['default-nft', 'default-legacy', 'no-userland-proxy-nft'])('%s: the IPv4 DNATs, and no IPv6 rule at all (ip6tables off)', (c) => {
    expect(mapped(c).sort()).toEqual([...V4_MAPPINGS].sort());
    expect(model(c).rules.filter((r) => r.family === 'ipv6')).toEqual([]);
  });

  test('experimental ip6tables: IPv6 DNATs too, [::]:8443 only there', () => {
    const v6 = mapped('ip6tables-experimental-nft').filter((m) => m.startsWith('ipv6'));
    expect(v6.sort()).toEqual(
      [
        'ipv6 tcp 8080-8080 DNAT --to-destination [fd00:d0c::242:ac11:2]:80',
        'ipv6 tcp 8443-8443 DNAT --to-destination [fd00:d0c::242:ac11:2]:443',
        'ipv6 udp 5353-5353 DNAT --to-destination [fd00:d0c::242:ac11:2]:53',
      ].sort(),
    );
    expect(
      mapped('ip6tables-experimental-nft')
        .filter((m) => m.startsWith('ipv4'))
        .sort(),
    ).toEqual([...V4_MAPPINGS].sort());
  });
});
